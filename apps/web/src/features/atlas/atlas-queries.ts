// GraphQL documents of the atlas browser: a model with its hook points, SAEs (with their build state) and
// labeling progress, and filtered unit pages.
import { gql } from "urql";

export type UnitKind = "NEURON" | "SAE_FEATURE" | "ATTENTION_HEAD";
export type LabelState = "UNLABELED" | "LABELED" | "DISPUTED";

export interface HookPointRow { id: string; name: string; tower: "VISION" | "TEXT"; layer: number; kind: string; width: number }
export type DictionaryBuildStatus = "NOT_BUILT" | "BUILDING" | "BUILT";
export interface DictionaryRow {
  id: string; name: string; hookPointId: string; architecture: string; dSae: number;
  unitCount: number; buildStatus: DictionaryBuildStatus; builtAt: string | null;
}
export interface ProgressRow { hookPointId: string; dictionaryId: string | null; kind: UnitKind; total: number; labeled: number; disputed: number; unlabeled: number }

export interface ModelAtlas {
  id: string; name: string; displayName: string; description: string; architecture: string;
  hookPoints: HookPointRow[];
  dictionaries: DictionaryRow[];
  labelingProgress: ProgressRow[];
}

export const MODEL_ATLAS_QUERY = gql`
  query ModelAtlas($id: ID!) {
    model(id: $id) {
      id name displayName description architecture
      hookPoints { id name tower layer kind width }
      dictionaries { id name hookPointId architecture dSae unitCount buildStatus builtAt }
      labelingProgress { hookPointId dictionaryId kind total labeled disputed unlabeled }
    }
  }
`;

export interface UnitRow {
  id: string; slug: string; kind: UnitKind; index: number; labelState: LabelState; currentLabel: string | null; topAutoLabel: string | null;
  hookPoint: { id: string; name: string };
  dictionary: { id: string; name: string } | null;
  stats: { maxActivation: number | null; density: number | null; multimodalScore: number | null };
}

export interface UnitPage {
  units: { totalCount: number; edges: { cursor: string; node: UnitRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const UNIT_PAGE_LIST_QUERY = gql`
  query AtlasUnits($filter: UnitFilter, $first: Int, $after: String) {
    units(filter: $filter, first: $first, after: $after) {
      totalCount
      edges { cursor node {
        id slug kind index labelState currentLabel topAutoLabel
        hookPoint { id name }
        dictionary { id name }
        stats { maxActivation density multimodalScore }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
