export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __ENTENTE_PG__?: { stop(): Promise<void> } }).__ENTENTE_PG__;
  await db?.stop();
}
