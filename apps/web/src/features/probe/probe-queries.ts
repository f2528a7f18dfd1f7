// GraphQL documents of the live probe page: models with their layers and SAEs (and the API's upload limits),
// the unit being probed, and the probe itself (the API runs the model on the uploaded image or typed text).
// Result types are generated from the schema by graphql-codegen (apps/web/codegen.ts).
import { graphql } from "../../gql";
import type { ProbeQuery } from "../../gql/graphql";

export const PROBE_MODELS_QUERY = graphql(`
  query ProbeModels {
    models {
      id
      name
      displayName
      modality
      hookPoints {
        id
        name
        tower
        layer
        kind
      }
      dictionaries {
        id
        name
        hookPointId
      }
    }
    probeLimits {
      maxImageBytes
      maxImagePixels
      imageFormats
    }
  }
`);

export const PROBE_UNIT_QUERY = graphql(`
  query ProbeUnit($id: ID!) {
    unit(id: $id) {
      id
      kind
      index
      currentLabel
      model {
        id
      }
      hookPoint {
        id
        tower
      }
      dictionary {
        id
      }
    }
  }
`);

export const PROBE_QUERY = graphql(`
  query Probe($input: ProbeInput!) {
    probe(input: $input) {
      modality
      gridSize
      tokens
      latencyMs
      model {
        id
        name
      }
      hookPoint {
        id
        name
      }
      dictionary {
        id
        name
      }
      unit {
        value
        values
        clsValue
        unit {
          id
          kind
          index
          currentLabel
        }
      }
      topUnits {
        kind
        index
        value
        unit {
          id
          currentLabel
          topAutoLabel
        }
      }
      logitLens {
        available
        reason
        message
        tower
        layers {
          layer
          hookPoint
        }
        gridRows
        gridCols
        prefix
        cells {
          texts
          scores
        }
        conceptCount
        embeddingCosine
      }
    }
  }
`);

export type ProbeResultData = ProbeQuery["probe"];
export type ProbeLogitLensData = NonNullable<ProbeResultData["logitLens"]>;
