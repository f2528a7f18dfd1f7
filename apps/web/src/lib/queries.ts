// GraphQL documents used by the web app, with the result shapes the pages rely on.
import { gql } from "urql";

export interface ModelSummary {
  id: string;
  name: string;
  displayName: string;
  modality: string;
  architecture: string;
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
      modality
      architecture
    }
  }
`;
