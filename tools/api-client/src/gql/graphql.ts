/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** all given conditions must hold; others' drafts are never listed */
export type AnnotationFilter = {
  authorId?: string | number | null | undefined;
  /** hook point name, e.g. vision.blocks.1.mlp.hook_post */
  hookName?: string | null | undefined;
  hookPointId?: string | number | null | undefined;
  /** case-insensitive text in the label (≤ 200 characters) */
  labelContains?: string | null | undefined;
  /** model id or name */
  modelId?: string | number | null | undefined;
  status?: AnnotationStatus | null | undefined;
  unitId?: string | number | null | undefined;
  unitKind?: UnitKind | null | undefined;
  /** only annotations changed at or after this time */
  updatedSince?: string | null | undefined;
};

export type AnnotationStatus =
  | 'ACCEPTED'
  | 'DRAFT'
  | 'PROPOSED'
  | 'REJECTED';

export type CreateAnnotationInput = {
  confidence?: number | null | undefined;
  description?: string | null | undefined;
  label: string;
  /** DRAFT (default) or PROPOSED */
  status?: AnnotationStatus | null | undefined;
  tags?: Array<string> | null | undefined;
  unitId: string | number;
};

export type LabelState =
  | 'DISPUTED'
  | 'LABELED'
  | 'UNLABELED';

export type UnitFilter = {
  dictionaryId?: string | number | null | undefined;
  /** hook point name, e.g. vision.blocks.1.mlp.hook_post */
  hookName?: string | null | undefined;
  hookPointId?: string | number | null | undefined;
  kind?: UnitKind | null | undefined;
  labelState?: LabelState | null | undefined;
  /** best label score at most; leaves out unscored units */
  maxBestScore?: number | null | undefined;
  /** best label score (detection AUROC, 0..1) at least; leaves out unscored units */
  minBestScore?: number | null | undefined;
  /** model id or name */
  modelId?: string | number | null | undefined;
  /** words (≤ 200 characters) that start a run of words in the current label, the top auto-label or a proposed/accepted annotation label; case and punctuation are ignored ("red-blu" finds "Red blue stripes", "lue" does not) */
  search?: string | null | undefined;
};

export type UnitKind =
  | 'ATTENTION_HEAD'
  | 'NEURON'
  | 'SAE_FEATURE';

export type AnnotationsPageQueryVariables = Exact<{
  filter?: AnnotationFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AnnotationsPageQuery = { annotations: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, label: string, status: AnnotationStatus, version: number, updatedAt: string, unit: { slug: string, kind: UnitKind, index: number }, author: { displayName: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UnitsPageQueryVariables = Exact<{
  filter?: UnitFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type UnitsPageQuery = { units: { totalCount: number, edges: Array<{ node: { id: string, slug: string, kind: UnitKind, index: number, currentLabel: string | null, topAutoLabel: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ProposeLabelMutationVariables = Exact<{
  input: CreateAnnotationInput;
}>;


export type ProposeLabelMutation = { createAnnotation: { id: string, version: number, status: AnnotationStatus, label: string } };


export const AnnotationsPageDocument = {"__meta__":{"hash":"sha256:79579b965a538842665fdbe316ad123471ca26dc9cc84fd2165cccc13f4b56da"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AnnotationsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AnnotationFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"annotations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"unit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"index"}}]}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<AnnotationsPageQuery, AnnotationsPageQueryVariables>;
export const UnitsPageDocument = {"__meta__":{"hash":"sha256:ee0efe437195ac12c3c19183ef769270cc6a95531d5bdafbd6a9d81259c2187b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnitsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UnitFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"units"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"currentLabel"}},{"kind":"Field","name":{"kind":"Name","value":"topAutoLabel"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<UnitsPageQuery, UnitsPageQueryVariables>;
export const ProposeLabelDocument = {"__meta__":{"hash":"sha256:7070c2c6b58f0e603875f3c1ec3b0a037116013559e93fce024eea0b02900dea"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ProposeLabel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAnnotationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAnnotation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}}]} as unknown as DocumentNode<ProposeLabelMutation, ProposeLabelMutationVariables>;