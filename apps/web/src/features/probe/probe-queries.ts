// GraphQL documents of the live probe page: models with their layers and SAEs (and the API's upload limits),
// the unit being probed, and the probe itself (the API runs the model on the uploaded image or typed text).
import { gql } from "urql";

export interface ProbeModel {
  id: string; name: string; displayName: string; modality: string;
  hookPoints: { id: string; name: string; tower: "VISION" | "TEXT"; layer: number; kind: string }[];
  dictionaries: { id: string; name: string; hookPointId: string }[];
}

export const PROBE_MODELS_QUERY = gql`
  query ProbeModels {
    models { id name displayName modality hookPoints { id name tower layer kind } dictionaries { id name hookPointId } }
    probeLimits { maxImageBytes maxImagePixels imageFormats }
  }
`;

export interface ProbeUnitInfo { id: string; kind: string; index: number; currentLabel: string | null; model: { id: string }; hookPoint: { id: string; tower: "VISION" | "TEXT" }; dictionary: { id: string } | null }

export const PROBE_UNIT_QUERY = gql`
  query ProbeUnit($id: ID!) {
    unit(id: $id) { id kind index currentLabel model { id } hookPoint { id tower } dictionary { id } }
  }
`;

export interface ProbeResultData {
  modality: string;
  gridSize: number | null;
  tokens: string[] | null;
  latencyMs: number;
  model: { id: string; name: string };
  hookPoint: { id: string; name: string } | null;
  dictionary: { id: string; name: string } | null;
  unit: { value: number; values: number[]; clsValue: number | null; unit: { id: string; kind: string; index: number; currentLabel: string | null } } | null;
  topUnits: { kind: string; index: number; value: number; unit: { id: string; currentLabel: string | null; topAutoLabel: string | null } | null }[];
}

export const PROBE_QUERY = gql`
  query Probe($input: ProbeInput!) {
    probe(input: $input) {
      modality gridSize tokens latencyMs
      model { id name }
      hookPoint { id name }
      dictionary { id name }
      unit { value values clsValue unit { id kind index currentLabel } }
      topUnits { kind index value unit { id currentLabel topAutoLabel } }
    }
  }
`;
