// The unit page's GraphQL document and the result shapes its components rely on.
import { gql } from "urql";

export interface HistogramData { edges: number[]; counts: number[] }
export interface ExampleData { id: string; index: number; modality: string; text: string | null; tags: string[]; imageUrl: string | null }
export interface TopActivationData { id: string; band: "TOP" | "QUANTILE"; bandIndex: number; rank: number; maxValue: number; values: number[]; example: ExampleData }
export interface AutoLabelData { label: string; score: number; method: string | null }

export interface UnitData {
  id: string;
  slug: string;
  kind: "NEURON" | "SAE_FEATURE" | "ATTENTION_HEAD";
  index: number;
  labelState: "UNLABELED" | "LABELED" | "DISPUTED";
  currentLabel: string | null;
  topAutoLabel: string | null;
  model: { id: string; name: string; displayName: string; imageGridSize: number | null };
  hookPoint: { id: string; name: string; tower: "VISION" | "TEXT"; layer: number; kind: string; width: number };
  dictionary: { id: string; name: string } | null;
  stats: { maxActivation: number | null; density: number | null; multimodalScore: number | null; histogram: HistogramData | null; extra: Record<string, unknown> | null };
  autoLabels: AutoLabelData[];
  topActivations: TopActivationData[];
  quantileActivations: TopActivationData[];
}

const EXAMPLE_FIELDS = `id band bandIndex rank maxValue values example { id index modality text tags imageUrl }`;

export const UNIT_PAGE_QUERY = gql`
  query UnitPage($id: ID!) {
    unit(id: $id) {
      id slug kind index labelState currentLabel topAutoLabel
      model { id name displayName imageGridSize }
      hookPoint { id name tower layer kind width }
      dictionary { id name }
      stats { maxActivation density multimodalScore histogram { edges counts } extra }
      autoLabels { label score method }
      topActivations(limit: 16) { ${EXAMPLE_FIELDS} }
      quantileActivations { ${EXAMPLE_FIELDS} }
    }
  }
`;

export const KIND_LABEL: Record<UnitData["kind"], string> = { NEURON: "neuron", SAE_FEATURE: "SAE feature", ATTENTION_HEAD: "attention head" };
