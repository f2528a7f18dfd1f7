// GraphQL documents used by the web app, with the result shapes the pages rely on.
import { gql } from "urql";

export interface ModelSummary {
  id: string;
  name: string;
  displayName: string;
  description: string;
  modality: string;
  architecture: string;
  hookPoints: { id: string; tower: string }[];
  dictionaries: { id: string }[];
  labelingProgress: { hookPointId: string; dictionaryId: string | null; kind: "NEURON" | "SAE_FEATURE" | "ATTENTION_HEAD"; total: number; labeled: number; disputed: number; unlabeled: number }[];
}

export interface ModelsQueryResult {
  models: ModelSummary[];
}

export const MODELS_QUERY = gql`
  query Models {
    models {
      id
      name
      displayName
      description
      modality
      architecture
      hookPoints { id tower }
      dictionaries { id }
      labelingProgress { hookPointId dictionaryId kind total labeled disputed unlabeled }
    }
  }
`;

export interface UnitCountQueryResult {
  units: { totalCount: number };
}

export const UNIT_COUNT_QUERY = gql`
  query ModelUnitCount($modelId: ID!) {
    units(filter: { modelId: $modelId }, first: 1) { totalCount }
  }
`;
