// How many leading positions of each text example are its tokens (up to and including <eos>) under the model's
// tokenizer: the pass zeroes every position after them, so a text row stores only these values, one per token.
import type { PrismaClient } from "@mmatlas/db";
import type { Tokenizer } from "@mmatlas/inference";

/** Example.index → its token count (eos position + 1), for every TEXT example of the dataset. */
export async function textTokenCounts(
  prisma: PrismaClient,
  datasetId: string,
  tokenizer: Tokenizer,
): Promise<Map<number, number>> {
  const rows = await prisma.example.findMany({
    where: { datasetId, modality: "TEXT" },
    select: { index: true, text: true },
  });
  return new Map(rows.map((r) => [r.index, tokenizer.encode(r.text ?? "").eosPosition + 1]));
}

/** The first `count` values (all of them when the count is unknown or not smaller). */
export function leadingValues(values: Float32Array, count: number | undefined): Float32Array {
  return count !== undefined && count < values.length ? values.subarray(0, count) : values;
}
