// Imports and removals over GraphQL (transport only; the work is in @mmatlas/porting): importSae, importModel,
// removeDictionary and removeModel need the model.register permission (ADMIN role or admin-scoped token).
// Imports read folders inside the server's import roots only. The probe forgets the model's rows afterwards.
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import {
  importHfClipModel,
  importModel,
  importSae,
  isHfClipFolder,
  planNotes,
  removeDictionary,
  removeModel,
  resolveImportFolder,
  type RemoveResult,
} from "@mmatlas/porting";
import { probeRegistryFor } from "@mmatlas/probe";
import type { ApiContext } from "../../context";
import {
  ImportModelInput,
  ImportModelResultType,
  ImportSaeInput,
  ImportSaeResultType,
  RemoveResultType,
} from "../types/porting";

const removal = (r: RemoveResult): RemoveResultType => ({ ...r, deletedFolders: r.deletedFolders.length });

@Resolver()
export class PortingResolver {
  @Mutation(() => ImportSaeResultType, {
    description:
      "import a SAELens SAE folder from the server's import roots onto a model's hook point (ADMIN); it shows as not built until an atlas build includes it",
  })
  async importSae(
    @Arg("input", () => ImportSaeInput) input: ImportSaeInput,
    @Ctx() ctx: ApiContext,
  ): Promise<ImportSaeResultType> {
    assertCan(ctx.actor, "model.register");
    const folder = resolveImportFolder(input.folder);
    const r = await importSae(ctx.prisma, folder, {
      model: input.model,
      hook: input.hook ?? undefined,
      name: input.name ?? undefined,
      replace: input.replace ?? false,
    });
    probeRegistryFor(ctx.prisma).invalidate();
    return {
      dictionary: r.dictionary,
      replaced: r.replaced !== null,
      removedUnits: r.replaced?.units ?? 0,
      removedAnnotations: r.replaced?.annotations ?? 0,
    };
  }

  @Mutation(() => ImportModelResultType, {
    description:
      "import a model folder from the server's import roots: a Hugging Face CLIP export as it is, or model.json + ONNX (ADMIN)",
  })
  async importModel(
    @Arg("input", () => ImportModelInput) input: ImportModelInput,
    @Ctx() ctx: ApiContext,
  ): Promise<ImportModelResultType> {
    assertCan(ctx.actor, "model.register");
    const folder = resolveImportFolder(input.folder);
    const replace = input.replace ?? false;
    const hf = isHfClipFolder(folder)
      ? await importHfClipModel(ctx.prisma, folder, {
          replace,
          name: input.name ?? undefined,
          quantized: input.quantized ?? false,
          dtype: input.dtype ?? undefined,
        })
      : undefined;
    const r = hf ?? (await importModel(ctx.prisma, folder, { replace }));
    probeRegistryFor(ctx.prisma).invalidate();
    return {
      model: r.model,
      hookPoints: r.hookPoints,
      dictionaries: r.dictionaries,
      removedUnits: r.removedUnits?.units ?? 0,
      removedAnnotations: r.removedUnits?.annotations ?? 0,
      notes: hf ? planNotes(hf.plan) : [],
    };
  }

  @Mutation(() => RemoveResultType, {
    description: "remove an SAE of a model with its units, labels and copied files (ADMIN)",
  })
  async removeDictionary(
    @Arg("model", () => String) model: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RemoveResultType> {
    assertCan(ctx.actor, "model.register");
    const r = await removeDictionary(ctx.prisma, model, name);
    probeRegistryFor(ctx.prisma).invalidate();
    return removal(r);
  }

  @Mutation(() => RemoveResultType, {
    description: "remove a model with its hook points, SAEs, units, labels and copied files (ADMIN)",
  })
  async removeModel(@Arg("model", () => String) model: string, @Ctx() ctx: ApiContext): Promise<RemoveResultType> {
    assertCan(ctx.actor, "model.register");
    const r = await removeModel(ctx.prisma, model);
    probeRegistryFor(ctx.prisma).invalidate();
    return removal(r);
  }
}
