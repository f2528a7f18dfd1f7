// The unit page's GraphQL document and the result shapes its components rely on, derived from the types
// graphql-codegen generates from the schema (apps/web/codegen.ts).
import { graphql } from "../../gql";
import type { LabelScoreFieldsFragment, TopActivationFieldsFragment, UnitKind, UnitPageQuery } from "../../gql/graphql";

type UnitData = UnitPageQuery["unit"];
export type HistogramData = NonNullable<UnitData["stats"]["histogram"]>;
export type TopActivationData = TopActivationFieldsFragment;
export type LabelScoreData = LabelScoreFieldsFragment;

/** one stored example of a unit with its activations (unit page, labeling queue) */
export const TOP_ACTIVATION_FIELDS = graphql(`
  fragment TopActivationFields on TopActivation {
    id
    band
    bandIndex
    rank
    maxValue
    values
    tokens
    example {
      id
      index
      modality
      text
      tags
      imageUrl
    }
  }
`);

/** a label's explanation scores (LabelScore), shown next to the label */
export const LABEL_SCORE_FIELDS = graphql(`
  fragment LabelScoreFields on LabelScore {
    detectionAuroc
    balancedAccuracy
    localization
    tagAuroc
    activatingExamples
    nonActivatingExamples
    heldOutExamples
    notes
  }
`);

export const UNIT_PAGE_QUERY = graphql(`
  query UnitPage($id: ID!) {
    unit(id: $id) {
      id
      slug
      kind
      index
      labelState
      currentLabel
      topAutoLabel
      model {
        id
        name
        displayName
        imageGridSize
      }
      hookPoint {
        id
        name
        tower
        layer
        kind
        width
      }
      dictionary {
        id
        name
      }
      stats {
        maxActivation
        density
        multimodalScore
        histogram {
          edges
          counts
        }
        extra
      }
      autoLabels {
        label
        score
        method
        scores {
          ...LabelScoreFields
        }
      }
      bestLabel {
        label
        basis
        score
      }
      topActivations(limit: 16) {
        ...TopActivationFields
      }
      quantileActivations {
        ...TopActivationFields
      }
    }
  }
`);

export const KIND_LABEL: Record<UnitKind, string> = {
  NEURON: "neuron",
  SAE_FEATURE: "SAE feature",
  ATTENTION_HEAD: "attention head",
};
