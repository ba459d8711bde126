import { given, testEnv } from '../../test/support/decider-spec.js';
import { forumDecider } from './forum.decider.js';
import type { ForumEvent } from './forum.events.js';

const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const C = '00000000-0000-7000-8000-00000000000c';
const F = '00000000-0000-7000-8000-0000000000ff';

const details = {
  forumId: F,
  series: 'World Forum on Intercultural Dialogue',
  edition: 6,
  title: null,
  hostCity: 'Baku',
  hostPartyId: A,
  plannedFor: '2021',
  organizerPartyIds: [A],
  partnerPartyIds: [B],
};
const announced: ForumEvent = { type: 'ForumAnnounced', data: details };
const proposed: ForumEvent = { type: 'ForumProposed', data: { ...details, plannedFor: '2027' } };
const held: ForumEvent = { type: 'ForumConvened', occurredOn: '2021', data: { forumId: F, startsOn: '2021', endsOn: null, venue: null } };
const cancelled: ForumEvent = { type: 'ForumCancelled', data: { forumId: F, reason: 'no funds' } };
const postponedNoDate: ForumEvent = { type: 'ForumPostponed', data: { forumId: F, reason: 'COVID-19', plannedFor: null } };

describe('forum decider', () => {
  describe('AnnounceForum', () => {
    const announce = { type: 'AnnounceForum' as const, ...details };

    it('announces a planned forum', () => {
      given(forumDecider).when(announce).then([{ type: 'ForumAnnounced', data: details }]);
    });

    it('records a hosting initiative as proposed', () => {
      given(forumDecider).when({ ...announce, proposed: true }).then([{ type: 'ForumProposed', data: details }]);
    });

    it('refuses a partner that also organises (400)', () => {
      given(forumDecider).when({ ...announce, partnerPartyIds: [C, A] }).thenFails('bad_input', 'VALIDATION', 'partnerPartyIds[1]');
    });

    it('refuses to announce twice (409)', () => {
      given(forumDecider, [announced]).when(announce).thenFails('conflict', 'FORUM.ALREADY_ANNOUNCED');
    });
  });

  describe('lifecycle', () => {
    it('postpones without a new date ("suspended because of COVID-19")', () => {
      given(forumDecider, [announced])
        .when({ type: 'PostponeForum', reason: 'COVID-19' })
        .then([{ type: 'ForumPostponed', data: { forumId: F, reason: 'COVID-19', plannedFor: null } }]);
    });

    it('brings a postponed forum back to planned with a date', () => {
      given(forumDecider, [announced, postponedNoDate])
        .when({ type: 'ConfirmForum', plannedFor: '2024' })
        .then([{ type: 'ForumConfirmed', data: { forumId: F, plannedFor: '2024' } }]);
    });

    it('needs a date to confirm a forum postponed without one (400)', () => {
      given(forumDecider, [announced, postponedNoDate]).when({ type: 'ConfirmForum' }).thenFails('bad_input', 'VALIDATION', 'plannedFor');
    });

    it('confirms a proposed forum, keeping its planned date', () => {
      given(forumDecider, [proposed])
        .when({ type: 'ConfirmForum' })
        .then([{ type: 'ForumConfirmed', data: { forumId: F, plannedFor: '2027' } }]);
    });

    it('refuses to confirm a planned forum (409)', () => {
      given(forumDecider, [announced]).when({ type: 'ConfirmForum' }).thenFails('conflict', 'FORUM.NOT_PROPOSED');
    });

    it('schedules exact days, and refuses an end before the start (400)', () => {
      given(forumDecider, [announced])
        .when({ type: 'ScheduleForum', startsOn: '2021-05-01', endsOn: '2021-05-03', venue: 'Baku Congress Center' })
        .then([{ type: 'ForumScheduled', data: { forumId: F, startsOn: '2021-05-01', endsOn: '2021-05-03', venue: 'Baku Congress Center' } }]);
      given(forumDecider, [announced]).when({ type: 'ScheduleForum', startsOn: '2021-05-03', endsOn: '2021-05-01' }).thenFails('bad_input');
    });

    it('refuses to schedule a proposed forum before it is confirmed (409)', () => {
      given(forumDecider, [proposed]).when({ type: 'ScheduleForum', startsOn: '2027-05-01', endsOn: '2027-05-03' }).thenFails('conflict', 'FORUM.NOT_CONFIRMED');
    });

    it('records a forum held, with its world date as business time', () => {
      given(forumDecider, [announced])
        .when({ type: 'RecordForumHeld', startsOn: '2011' })
        .then([{ type: 'ForumConvened', occurredOn: '2011', data: { forumId: F, startsOn: '2011', endsOn: null, venue: null } }]);
    });

    it.each([
      ['postpone a held forum', [announced, held], { type: 'PostponeForum' as const, reason: 'x' }, 'FORUM.ALREADY_HELD'],
      ['hold a held forum again', [announced, held], { type: 'RecordForumHeld' as const, startsOn: '2021' }, 'FORUM.ALREADY_HELD'],
      ['hold a cancelled forum', [announced, cancelled], { type: 'RecordForumHeld' as const, startsOn: '2021' }, 'FORUM.CANCELLED'],
      ['schedule a cancelled forum', [announced, cancelled], { type: 'ScheduleForum' as const, startsOn: '2021-01-01', endsOn: '2021-01-02' }, 'FORUM.CANCELLED'],
      ['cancel a held forum', [announced, held], { type: 'CancelForum' as const, reason: 'x' }, 'FORUM.ALREADY_HELD'],
      ['cancel twice', [announced, cancelled], { type: 'CancelForum' as const, reason: 'x' }, 'FORUM.CANCELLED'],
    ])('refuses to %s (409)', (_, history, command, code) => {
      given(forumDecider, history).when(command).thenFails('conflict', code);
    });

    it('postpones to a later date, or to one that overlaps the current one; not to an earlier one (409)', () => {
      given(forumDecider, [announced])
        .when({ type: 'PostponeForum', reason: 'COVID-19', plannedFor: '2024' })
        .then([{ type: 'ForumPostponed', data: { forumId: F, reason: 'COVID-19', plannedFor: '2024' } }]);
      const scheduled: ForumEvent = { type: 'ForumScheduled', data: { forumId: F, startsOn: '2021-05-01', endsOn: '2021-05-03', venue: null } };
      given(forumDecider, [announced, scheduled]).when({ type: 'PostponeForum', reason: 'x', plannedFor: '2021-05' }).then([{ type: 'ForumPostponed' }]);
      given(forumDecider, [announced, scheduled]).when({ type: 'PostponeForum', reason: 'x', plannedFor: '2021-04' }).thenFails('conflict', 'FORUM.NOT_LATER');
      given(forumDecider, [announced]).when({ type: 'PostponeForum', reason: 'x', plannedFor: '2020' }).thenFails('conflict', 'FORUM.NOT_LATER');
    });

    it('takes any new date for a forum postponed without one', () => {
      given(forumDecider, [announced, postponedNoDate]).when({ type: 'PostponeForum', reason: 'again', plannedFor: '2019' }).then([{ type: 'ForumPostponed' }]);
    });

    it('compares the partial dates of a held forum as intervals: an end wholly before the start is bad input (400)', () => {
      given(forumDecider, [announced])
        .when({ type: 'RecordForumHeld', startsOn: '2011-04-07', endsOn: '2011' })
        .then([{ type: 'ForumConvened', occurredOn: '2011-04-07', data: { forumId: F, startsOn: '2011-04-07', endsOn: '2011', venue: null } }]);
      given(forumDecider, [announced]).when({ type: 'RecordForumHeld', startsOn: '2011-04-07', endsOn: '2011-03' }).thenFails('bad_input', 'VALIDATION', 'endsOn');
    });

    it('refuses to record held a forum that has not begun yet (400)', () => {
      given(forumDecider, [announced]).when({ type: 'RecordForumHeld', startsOn: '2026' }, testEnv('2026-11-23')).then([{ type: 'ForumConvened' }]);
      given(forumDecider, [announced]).when({ type: 'RecordForumHeld', startsOn: '2026-11-24' }, testEnv('2026-11-23')).thenFails('bad_input', 'VALIDATION', 'startsOn');
    });

    it('answers a self-contradicting schedule with 400 before looking at the forum state', () => {
      given(forumDecider, [announced, cancelled]).when({ type: 'ScheduleForum', startsOn: '2021-05-03', endsOn: '2021-05-01' }).thenFails('bad_input', 'VALIDATION', 'endsOn');
    });

    it.each([
      ['a held forum', [announced, held], 'FORUM.ALREADY_HELD'],
      ['a cancelled forum', [announced, cancelled], 'FORUM.CANCELLED'],
    ])('refuses to confirm %s (409)', (_, history, code) => {
      given(forumDecider, history).when({ type: 'ConfirmForum', plannedFor: '2030' }).thenFails('conflict', code);
    });

    it('takes partners after it was held, not after it was cancelled', () => {
      given(forumDecider, [announced, held]).when({ type: 'AddForumPartner', partyId: C }).then([{ type: 'ForumPartnerAdded' }]);
      given(forumDecider, [announced, cancelled]).when({ type: 'AddForumPartner', partyId: C }).thenFails('conflict', 'FORUM.CANCELLED');
      given(forumDecider, [announced]).when({ type: 'AddForumPartner', partyId: A }).thenFails('conflict', 'FORUM.ALREADY_PARTNER');
    });

    it('adds a partner once', () => {
      given(forumDecider, [announced]).when({ type: 'AddForumPartner', partyId: C }).then([{ type: 'ForumPartnerAdded', data: { forumId: F, partyId: C } }]);
      given(forumDecider, [announced]).when({ type: 'AddForumPartner', partyId: B }).thenFails('conflict', 'FORUM.ALREADY_PARTNER');
    });
  });

  it('folds a status history', () => {
    const state = [announced, postponedNoDate, { type: 'ForumConfirmed', data: { forumId: F, plannedFor: '2024' } }].reduce(
      forumDecider.evolve,
      forumDecider.initialState(),
    );
    expect(state.status).toBe('planned');
    expect(state.history.map((h) => [h.status, h.plannedFor, h.reason])).toEqual([
      ['planned', '2021', null],
      ['postponed', null, 'COVID-19'],
      ['planned', '2024', null],
    ]);
  });
});
