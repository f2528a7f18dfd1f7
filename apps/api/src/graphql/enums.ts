// Registers the database enums (and API-only enums) as GraphQL enum types, once.
import { registerEnumType } from "type-graphql";
import {
  ActivationBand,
  AnnotationStatus,
  HookKind,
  JobKind,
  JobStatus,
  LabelState,
  Modality,
  Role,
  SaeArchitecture,
  TokenScope,
  Tower,
  UnitKind,
} from "@mmatlas/db";

export const AnnotationChangeKind = {
  CREATED: "CREATED",
  UPDATED: "UPDATED",
  VOTED: "VOTED",
  COMMENTED: "COMMENTED",
} as const;
export const DictionaryBuildStatus = { NOT_BUILT: "NOT_BUILT", BUILDING: "BUILDING", BUILT: "BUILT" } as const;

registerEnumType(Role, { name: "Role", description: "VIEWER < ANNOTATOR < REVIEWER < ADMIN" });
registerEnumType(TokenScope, {
  name: "TokenScope",
  description: "API token scopes (hierarchical: READ < ANNOTATE < REVIEW < ADMIN)",
});
registerEnumType(Modality, { name: "Modality" });
registerEnumType(HookKind, { name: "HookKind" });
registerEnumType(Tower, { name: "Tower" });
registerEnumType(SaeArchitecture, { name: "SaeArchitecture" });
registerEnumType(UnitKind, { name: "UnitKind" });
registerEnumType(LabelState, { name: "LabelState" });
registerEnumType(AnnotationStatus, { name: "AnnotationStatus" });
registerEnumType(ActivationBand, { name: "ActivationBand" });
registerEnumType(AnnotationChangeKind, { name: "AnnotationChangeKind" });
registerEnumType(DictionaryBuildStatus, {
  name: "DictionaryBuildStatus",
  description:
    "NOT_BUILT: no units stored yet; BUILDING: an atlas build including it is queued or running; BUILT: its units are in the atlas",
});
registerEnumType(JobKind, { name: "JobKind" });
registerEnumType(JobStatus, { name: "JobStatus" });

export {
  ActivationBand,
  AnnotationStatus,
  HookKind,
  JobKind,
  JobStatus,
  LabelState,
  Modality,
  Role,
  SaeArchitecture,
  TokenScope,
  Tower,
  UnitKind,
};
