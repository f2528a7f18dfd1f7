// A bare hook point row for tests and benches that need units on a model: layer 0's vision MLP
// ("vision.blocks.0.mlp.hook_post"), `width` units, tensor "t" unless given (nothing runs it).
import type { HookPoint, PrismaClient } from "../index";

export function createBareHookPoint(
  prisma: PrismaClient,
  modelId: string,
  width: number,
  tensor = "t",
): Promise<HookPoint> {
  return prisma.hookPoint.create({
    data: { modelId, name: "vision.blocks.0.mlp.hook_post", tower: "VISION", layer: 0, kind: "MLP", width, tensor },
  });
}
