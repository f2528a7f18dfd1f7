// GraphQL documents of the labeling queue: the next unit with the evidence needed to label it, and saving
// a label as a PROPOSED annotation.
import { gql } from "urql";
import type { AutoLabelData, TopActivationData, UnitData } from "../units/unit-query";

export interface QueueUnit {
  id: string; slug: string; kind: UnitData["kind"]; index: number; labelState: UnitData["labelState"]; currentLabel: string | null;
  model: { id: string; displayName: string; imageGridSize: number | null };
  hookPoint: { id: string; name: string; tower: "VISION" | "TEXT" };
  dictionary: { id: string; name: string } | null;
  stats: { maxActivation: number | null; density: number | null; extra: Record<string, unknown> | null };
  autoLabels: AutoLabelData[];
  annotations: { id: string; label: string; status: string; author: { displayName: string } }[];
  topActivations: TopActivationData[];
}

export interface QueueResult { labelQueue: { unit: QueueUnit | null; remainingUnlabeled: number; remainingDisputed: number } }

export const LABEL_QUEUE_QUERY = gql`
  query LabelQueue($scope: LabelQueueScope, $skip: [ID!]) {
    labelQueue(scope: $scope, skip: $skip) {
      remainingUnlabeled remainingDisputed
      unit {
        id slug kind index labelState currentLabel
        model { id displayName imageGridSize }
        hookPoint { id name tower }
        dictionary { id name }
        stats { maxActivation density extra }
        autoLabels { label score method }
        annotations { id label status author { displayName } }
        topActivations(limit: 12) { id band bandIndex rank maxValue values example { id index modality text tags imageUrl } }
      }
    }
  }
`;

export const PROPOSE_LABEL_MUTATION = gql`
  mutation ProposeLabel($input: CreateAnnotationInput!) { createAnnotation(input: $input) { id label status unitId } }
`;
