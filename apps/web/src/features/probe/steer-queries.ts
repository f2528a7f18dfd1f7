// GraphQL documents of steering in the live probe: the unit being steered (its scale sets the slider range)
// and probeSteer (the API adds strength × the unit's direction at its hook and reads out the image embedding).
// Result types are generated from the schema by graphql-codegen (apps/web/codegen.ts).
import { graphql } from "../../gql";
import type { ProbeSteerQuery, SteerUnitQuery } from "../../gql/graphql";

export const STEER_UNIT_QUERY = graphql(`
  query SteerUnit($id: ID!) {
    unit(id: $id) {
      id
      kind
      index
      currentLabel
      topAutoLabel
      stats {
        maxActivation
      }
      hookPoint {
        id
        name
        tower
      }
      dictionary {
        id
        name
      }
    }
  }
`);

export const PROBE_STEER_QUERY = graphql(`
  query ProbeSteer($input: ProbeSteerInput!) {
    probeSteer(input: $input) {
      strength
      direction
      directionNorm
      unitBefore
      unitAfter
      embeddingCosine
      captionCount
      latencyMs
      hookPoint {
        name
      }
      classes {
        label
        before
        after
        delta
      }
      captionsBefore {
        text
        before
        after
      }
      captionsAfter {
        text
        before
        after
      }
    }
  }
`);

export type SteerUnit = NonNullable<SteerUnitQuery["unit"]>;
export type SteerResultData = ProbeSteerQuery["probeSteer"];
