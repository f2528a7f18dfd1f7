// A bare model row for tests and benches that need units to hang annotations, comments or documents on: name
// "m", no ONNX files, no config (nothing can run it; register the built-in model for that).
import type { Model, Modality, PrismaClient } from "../index";

export function createBareModel(prisma: PrismaClient, modality: Modality = "IMAGE"): Promise<Model> {
  return prisma.model.create({
    data: {
      name: "m",
      displayName: "M",
      modality,
      architecture: "vit",
      onnxFiles: {},
      config: {},
      directory: "m",
    },
  });
}
