// Interactive transactions roll back on error, and the query counter sees every statement Prisma sends.
import { createQueryCounter, createTestDatabase, type TestDatabase } from "../src/testing";

jest.setTimeout(120_000);

const counter = createQueryCounter();
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ logQueries: counter.log });
});
afterAll(async () => {
  await db?.close();
});

it("rolls back every write of an interactive transaction that throws", async () => {
  const attempt = db.prisma.$transaction(async (tx) => {
    await tx.user.create({ data: { email: "rollback@example.org", displayName: "R", passwordHash: "h" } });
    await tx.dataset.create({ data: { name: "rolled-back", modality: "TEXT" } });
    expect(await tx.user.count()).toBe(1); // visible inside the transaction
    throw new Error("abort");
  });
  await expect(attempt).rejects.toThrow("abort");
  expect(await db.prisma.user.count()).toBe(0);
  expect(await db.prisma.dataset.count()).toBe(0);
});

it("commits an interactive transaction that succeeds", async () => {
  await db.prisma.$transaction(async (tx) => {
    const u = await tx.user.create({ data: { email: "commit@example.org", displayName: "C", passwordHash: "h" } });
    await tx.job.create({ data: { kind: "IMPORT_MODEL", params: {}, createdById: u.id } });
  });
  expect(await db.prisma.job.count({ where: { createdBy: { email: "commit@example.org" } } })).toBe(1);
});

it("counts the SQL statements sent: one per simple operation, more for relation loads", async () => {
  const u = await db.prisma.user.create({
    data: { email: "counted@example.org", displayName: "Q", passwordHash: "h" },
  });
  for (let i = 0; i < 3; i++)
    await db.prisma.job.create({ data: { kind: "ATLAS_BUILD", params: { i }, createdById: u.id } });

  counter.reset();
  await db.prisma.user.findUnique({ where: { id: u.id } });
  expect(counter.count).toBe(1);
  expect(counter.queries[0]).toMatch(/SELECT .*FROM "public"\."User"/);

  counter.reset();
  await db.prisma.job.findMany({ where: { createdById: u.id } });
  await db.prisma.job.count();
  expect(counter.count).toBe(2);

  counter.reset();
  const withJobs = await db.prisma.user.findMany({ include: { jobs: true } });
  expect(withJobs.find((x) => x.id === u.id)?.jobs).toHaveLength(3);
  expect(counter.count).toBeGreaterThanOrEqual(1);
  expect(counter.count).toBeLessThanOrEqual(2); // a join or one extra query, never one per user
  expect(counter.queries.join("\n")).toMatch(/"public"\."Job"/);
});
