export interface CommitmentMade {
  type: 'CommitmentMade';
  occurredOn: string;
  data: {
    commitmentId: string;
    meetingId: string;
    description: string;
    partyIds: string[];
    dueBy: string | null;
    forumId: string | null;
    /** the meeting's date: when the commitment was made */
    madeOn: string;
  };
}

export interface CommitmentFulfilled {
  type: 'CommitmentFulfilled';
  occurredOn: string;
  data: { commitmentId: string; on: string; note: string | null };
}

export interface CommitmentWithdrawn {
  type: 'CommitmentWithdrawn';
  data: { commitmentId: string; reason: string };
}

export type CommitmentEvent = CommitmentMade | CommitmentFulfilled | CommitmentWithdrawn;
export const COMMITMENT_EVENT_TYPES = ['CommitmentMade', 'CommitmentFulfilled', 'CommitmentWithdrawn'] as const;
