/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment UnitSetProgressFields on UnitSetProgress { hookPointId dictionaryId kind total labeled disputed unlabeled }\n": typeof types.UnitSetProgressFieldsFragmentDoc,
    "\n  query ModelAtlas($id: ID!) {\n    model(id: $id) {\n      id name displayName description architecture\n      hookPoints { id name tower layer kind width }\n      dictionaries { id name hookPointId architecture dSae unitCount buildStatus builtAt }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n": typeof types.ModelAtlasDocument,
    "\n  query AtlasUnits($filter: UnitFilter, $first: Int, $after: String, $sort: UnitSort) {\n    units(filter: $filter, first: $first, after: $after, sort: $sort) {\n      totalCount\n      edges { cursor node {\n        id slug kind index labelState currentLabel topAutoLabel\n        bestLabel { label basis score }\n        hookPoint { id name }\n        dictionary { id name }\n        stats { maxActivation density multimodalScore }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AtlasUnitsDocument,
    "\n  fragment BuildJobFields on Job { id status progress phase error examplesDone examplesTotal etaSeconds }\n": typeof types.BuildJobFieldsFragmentDoc,
    "\n  query SaeBuildJobs($id: ID!) {\n    model(id: $id) { id dictionaries { id latestBuildJob { ...BuildJobFields } } }\n    datasets { id name modality size }\n  }\n": typeof types.SaeBuildJobsDocument,
    "\n  mutation StartSaeBuild($input: StartAtlasBuildInput!) {\n    startAtlasBuild(input: $input) { ...BuildJobFields }\n  }\n": typeof types.StartSaeBuildDocument,
    "\n  subscription SaeBuildProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) { jobId status phase progress examplesDone examplesTotal etaSeconds message }\n  }\n": typeof types.SaeBuildProgressDocument,
    "\n  query UnitSetMap($hookPointId: ID!, $dictionaryId: ID) {\n    unitMap(hookPointId: $hookPointId, dictionaryId: $dictionaryId) {\n      source\n      points { unitId index x y labelState label topAutoLabel autoLabelScore bestLabelScore }\n    }\n  }\n": typeof types.UnitSetMapDocument,
    "query CurrentUser { me { id displayName role email } }": typeof types.CurrentUserDocument,
    "\n  mutation Register($input: RegisterInput!) { register(input: $input) { id displayName role } }\n": typeof types.RegisterDocument,
    "\n  mutation Login($input: LoginInput!) { login(input: $input) { token expiresAt user { id displayName role email } } }\n": typeof types.LoginDocument,
    "mutation Logout { logout }": typeof types.LogoutDocument,
    "\n  fragment ApiTokenFields on ApiToken { id name prefix scopes createdAt expiresAt lastUsedAt revokedAt }\n": typeof types.ApiTokenFieldsFragmentDoc,
    "query MyApiTokens { myApiTokens { ...ApiTokenFields } }": typeof types.MyApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { ...ApiTokenFields } } }\n": typeof types.CreateApiTokenDocument,
    "mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ...ApiTokenFields } }": typeof types.RevokeApiTokenDocument,
    "\n  query UnitLabelScores($id: ID!) { unit(id: $id) { id labelScores { label ...LabelScoreFields } } }\n": typeof types.UnitLabelScoresDocument,
    "\n  query UnitDiscussion($id: ID!) {\n    unit(id: $id) {\n      id\n      annotations { id label status voteScore myVote author { id displayName } }\n      comments { id body createdAt author { id displayName } }\n    }\n  }\n": typeof types.UnitDiscussionDocument,
    "\n  subscription AnnotationChanged($unitId: ID!) {\n    annotationChanged(unitId: $unitId) { kind unitId annotationId commentId at }\n  }\n": typeof types.AnnotationChangedDocument,
    "\n  mutation Vote($annotationId: ID!, $value: Int!) {\n    vote(annotationId: $annotationId, value: $value) { id voteScore myVote }\n  }\n": typeof types.VoteDocument,
    "\n  mutation AddComment($input: AddCommentInput!) {\n    addComment(input: $input) { id }\n  }\n": typeof types.AddCommentDocument,
    "\n  query Me { me { id displayName role } }\n": typeof types.MeDocument,
    "\n  query ProbeModels {\n    models { id name displayName modality hookPoints { id name tower layer kind } dictionaries { id name hookPointId } }\n    probeLimits { maxImageBytes maxImagePixels imageFormats }\n  }\n": typeof types.ProbeModelsDocument,
    "\n  query ProbeUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel model { id } hookPoint { id tower } dictionary { id } }\n  }\n": typeof types.ProbeUnitDocument,
    "\n  query Probe($input: ProbeInput!) {\n    probe(input: $input) {\n      modality gridSize tokens latencyMs\n      model { id name }\n      hookPoint { id name }\n      dictionary { id name }\n      unit { value values clsValue unit { id kind index currentLabel } }\n      topUnits { kind index value unit { id currentLabel topAutoLabel } }\n    }\n  }\n": typeof types.ProbeDocument,
    "\n  query SteerUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel topAutoLabel stats { maxActivation } hookPoint { id name tower } dictionary { id name } }\n  }\n": typeof types.SteerUnitDocument,
    "\n  query ProbeSteer($input: ProbeSteerInput!) {\n    probeSteer(input: $input) {\n      strength direction directionNorm unitBefore unitAfter embeddingCosine captionCount latencyMs\n      hookPoint { name }\n      classes { label before after delta }\n      captionsBefore { text before after }\n      captionsAfter { text before after }\n    }\n  }\n": typeof types.ProbeSteerDocument,
    "\n  query LabelQueue($scope: LabelQueueScope, $skip: [ID!], $order: QueueOrder) {\n    labelQueue(scope: $scope, skip: $skip, order: $order) {\n      remainingUnlabeled remainingDisputed\n      unit {\n        id slug kind index labelState currentLabel bestLabel { label basis score }\n        model { id displayName imageGridSize }\n        hookPoint { id name tower }\n        dictionary { id name }\n        stats { maxActivation density extra }\n        autoLabels { label score method scores { ...LabelScoreFields } }\n        annotations { id label status author { displayName } scores { ...LabelScoreFields } }\n        topActivations(limit: 12) { ...TopActivationFields }\n      }\n    }\n  }\n": typeof types.LabelQueueDocument,
    "\n  mutation ProposeLabel($input: CreateAnnotationInput!) { createAnnotation(input: $input) { id label status unitId } }\n": typeof types.ProposeLabelDocument,
    "\n  query ReviewQueue($first: Int, $after: String) {\n    annotations(filter: { status: PROPOSED }, first: $first, after: $after) {\n      totalCount\n      edges { node {\n        id label description tags version voteScore updatedAt\n        scores { ...LabelScoreFields }\n        author { id displayName }\n        unit { id kind index labelState hookPoint { name } model { displayName } labelAgreement { raters majorityLabel majorityShare pairwiseAgreement }\n          trustedLabel {\n            label source reason raters majorityShare alpha\n            candidates { label labelKey sources raters votes accepted detectionAuroc scores { ...LabelScoreFields } }\n          }\n        }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n    labelAgreement { alpha unitsWithOverlap ratedUnits annotators meanPairwiseAgreement }\n  }\n": typeof types.ReviewQueueDocument,
    "\n  mutation ReviewDecision($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { id status version } }\n": typeof types.ReviewDecisionDocument,
    "\n  query UnitNeighbours($id: ID!, $first: Int) {\n    unit(id: $id) {\n      id\n      byDirection: neighbours(kind: DECODER_COSINE, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n      byActivation: neighbours(kind: ACTIVATION_CORRELATION, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n    }\n  }\n": typeof types.UnitNeighboursDocument,
    "\n  fragment TopActivationFields on TopActivation { id band bandIndex rank maxValue values example { id index modality text tags imageUrl } }\n": typeof types.TopActivationFieldsFragmentDoc,
    "\n  fragment LabelScoreFields on LabelScore { detectionAuroc balancedAccuracy localization tagAuroc activatingExamples nonActivatingExamples heldOutExamples notes }\n": typeof types.LabelScoreFieldsFragmentDoc,
    "\n  query UnitPage($id: ID!) {\n    unit(id: $id) {\n      id slug kind index labelState currentLabel topAutoLabel\n      model { id name displayName imageGridSize }\n      hookPoint { id name tower layer kind width }\n      dictionary { id name }\n      stats { maxActivation density multimodalScore histogram { edges counts } extra }\n      autoLabels { label score method scores { ...LabelScoreFields } }\n      bestLabel { label basis score }\n      topActivations(limit: 16) { ...TopActivationFields }\n      quantileActivations { ...TopActivationFields }\n    }\n  }\n": typeof types.UnitPageDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      displayName\n      description\n      modality\n      architecture\n      hookPoints { id tower }\n      dictionaries { id }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  query ModelUnitCount($modelId: ID!) {\n    units(filter: { modelId: $modelId }, first: 1) { totalCount }\n  }\n": typeof types.ModelUnitCountDocument,
};
const documents: Documents = {
    "\n  fragment UnitSetProgressFields on UnitSetProgress { hookPointId dictionaryId kind total labeled disputed unlabeled }\n": types.UnitSetProgressFieldsFragmentDoc,
    "\n  query ModelAtlas($id: ID!) {\n    model(id: $id) {\n      id name displayName description architecture\n      hookPoints { id name tower layer kind width }\n      dictionaries { id name hookPointId architecture dSae unitCount buildStatus builtAt }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n": types.ModelAtlasDocument,
    "\n  query AtlasUnits($filter: UnitFilter, $first: Int, $after: String, $sort: UnitSort) {\n    units(filter: $filter, first: $first, after: $after, sort: $sort) {\n      totalCount\n      edges { cursor node {\n        id slug kind index labelState currentLabel topAutoLabel\n        bestLabel { label basis score }\n        hookPoint { id name }\n        dictionary { id name }\n        stats { maxActivation density multimodalScore }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AtlasUnitsDocument,
    "\n  fragment BuildJobFields on Job { id status progress phase error examplesDone examplesTotal etaSeconds }\n": types.BuildJobFieldsFragmentDoc,
    "\n  query SaeBuildJobs($id: ID!) {\n    model(id: $id) { id dictionaries { id latestBuildJob { ...BuildJobFields } } }\n    datasets { id name modality size }\n  }\n": types.SaeBuildJobsDocument,
    "\n  mutation StartSaeBuild($input: StartAtlasBuildInput!) {\n    startAtlasBuild(input: $input) { ...BuildJobFields }\n  }\n": types.StartSaeBuildDocument,
    "\n  subscription SaeBuildProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) { jobId status phase progress examplesDone examplesTotal etaSeconds message }\n  }\n": types.SaeBuildProgressDocument,
    "\n  query UnitSetMap($hookPointId: ID!, $dictionaryId: ID) {\n    unitMap(hookPointId: $hookPointId, dictionaryId: $dictionaryId) {\n      source\n      points { unitId index x y labelState label topAutoLabel autoLabelScore bestLabelScore }\n    }\n  }\n": types.UnitSetMapDocument,
    "query CurrentUser { me { id displayName role email } }": types.CurrentUserDocument,
    "\n  mutation Register($input: RegisterInput!) { register(input: $input) { id displayName role } }\n": types.RegisterDocument,
    "\n  mutation Login($input: LoginInput!) { login(input: $input) { token expiresAt user { id displayName role email } } }\n": types.LoginDocument,
    "mutation Logout { logout }": types.LogoutDocument,
    "\n  fragment ApiTokenFields on ApiToken { id name prefix scopes createdAt expiresAt lastUsedAt revokedAt }\n": types.ApiTokenFieldsFragmentDoc,
    "query MyApiTokens { myApiTokens { ...ApiTokenFields } }": types.MyApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { ...ApiTokenFields } } }\n": types.CreateApiTokenDocument,
    "mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ...ApiTokenFields } }": types.RevokeApiTokenDocument,
    "\n  query UnitLabelScores($id: ID!) { unit(id: $id) { id labelScores { label ...LabelScoreFields } } }\n": types.UnitLabelScoresDocument,
    "\n  query UnitDiscussion($id: ID!) {\n    unit(id: $id) {\n      id\n      annotations { id label status voteScore myVote author { id displayName } }\n      comments { id body createdAt author { id displayName } }\n    }\n  }\n": types.UnitDiscussionDocument,
    "\n  subscription AnnotationChanged($unitId: ID!) {\n    annotationChanged(unitId: $unitId) { kind unitId annotationId commentId at }\n  }\n": types.AnnotationChangedDocument,
    "\n  mutation Vote($annotationId: ID!, $value: Int!) {\n    vote(annotationId: $annotationId, value: $value) { id voteScore myVote }\n  }\n": types.VoteDocument,
    "\n  mutation AddComment($input: AddCommentInput!) {\n    addComment(input: $input) { id }\n  }\n": types.AddCommentDocument,
    "\n  query Me { me { id displayName role } }\n": types.MeDocument,
    "\n  query ProbeModels {\n    models { id name displayName modality hookPoints { id name tower layer kind } dictionaries { id name hookPointId } }\n    probeLimits { maxImageBytes maxImagePixels imageFormats }\n  }\n": types.ProbeModelsDocument,
    "\n  query ProbeUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel model { id } hookPoint { id tower } dictionary { id } }\n  }\n": types.ProbeUnitDocument,
    "\n  query Probe($input: ProbeInput!) {\n    probe(input: $input) {\n      modality gridSize tokens latencyMs\n      model { id name }\n      hookPoint { id name }\n      dictionary { id name }\n      unit { value values clsValue unit { id kind index currentLabel } }\n      topUnits { kind index value unit { id currentLabel topAutoLabel } }\n    }\n  }\n": types.ProbeDocument,
    "\n  query SteerUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel topAutoLabel stats { maxActivation } hookPoint { id name tower } dictionary { id name } }\n  }\n": types.SteerUnitDocument,
    "\n  query ProbeSteer($input: ProbeSteerInput!) {\n    probeSteer(input: $input) {\n      strength direction directionNorm unitBefore unitAfter embeddingCosine captionCount latencyMs\n      hookPoint { name }\n      classes { label before after delta }\n      captionsBefore { text before after }\n      captionsAfter { text before after }\n    }\n  }\n": types.ProbeSteerDocument,
    "\n  query LabelQueue($scope: LabelQueueScope, $skip: [ID!], $order: QueueOrder) {\n    labelQueue(scope: $scope, skip: $skip, order: $order) {\n      remainingUnlabeled remainingDisputed\n      unit {\n        id slug kind index labelState currentLabel bestLabel { label basis score }\n        model { id displayName imageGridSize }\n        hookPoint { id name tower }\n        dictionary { id name }\n        stats { maxActivation density extra }\n        autoLabels { label score method scores { ...LabelScoreFields } }\n        annotations { id label status author { displayName } scores { ...LabelScoreFields } }\n        topActivations(limit: 12) { ...TopActivationFields }\n      }\n    }\n  }\n": types.LabelQueueDocument,
    "\n  mutation ProposeLabel($input: CreateAnnotationInput!) { createAnnotation(input: $input) { id label status unitId } }\n": types.ProposeLabelDocument,
    "\n  query ReviewQueue($first: Int, $after: String) {\n    annotations(filter: { status: PROPOSED }, first: $first, after: $after) {\n      totalCount\n      edges { node {\n        id label description tags version voteScore updatedAt\n        scores { ...LabelScoreFields }\n        author { id displayName }\n        unit { id kind index labelState hookPoint { name } model { displayName } labelAgreement { raters majorityLabel majorityShare pairwiseAgreement }\n          trustedLabel {\n            label source reason raters majorityShare alpha\n            candidates { label labelKey sources raters votes accepted detectionAuroc scores { ...LabelScoreFields } }\n          }\n        }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n    labelAgreement { alpha unitsWithOverlap ratedUnits annotators meanPairwiseAgreement }\n  }\n": types.ReviewQueueDocument,
    "\n  mutation ReviewDecision($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { id status version } }\n": types.ReviewDecisionDocument,
    "\n  query UnitNeighbours($id: ID!, $first: Int) {\n    unit(id: $id) {\n      id\n      byDirection: neighbours(kind: DECODER_COSINE, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n      byActivation: neighbours(kind: ACTIVATION_CORRELATION, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n    }\n  }\n": types.UnitNeighboursDocument,
    "\n  fragment TopActivationFields on TopActivation { id band bandIndex rank maxValue values example { id index modality text tags imageUrl } }\n": types.TopActivationFieldsFragmentDoc,
    "\n  fragment LabelScoreFields on LabelScore { detectionAuroc balancedAccuracy localization tagAuroc activatingExamples nonActivatingExamples heldOutExamples notes }\n": types.LabelScoreFieldsFragmentDoc,
    "\n  query UnitPage($id: ID!) {\n    unit(id: $id) {\n      id slug kind index labelState currentLabel topAutoLabel\n      model { id name displayName imageGridSize }\n      hookPoint { id name tower layer kind width }\n      dictionary { id name }\n      stats { maxActivation density multimodalScore histogram { edges counts } extra }\n      autoLabels { label score method scores { ...LabelScoreFields } }\n      bestLabel { label basis score }\n      topActivations(limit: 16) { ...TopActivationFields }\n      quantileActivations { ...TopActivationFields }\n    }\n  }\n": types.UnitPageDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      displayName\n      description\n      modality\n      architecture\n      hookPoints { id tower }\n      dictionaries { id }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n": types.ModelsDocument,
    "\n  query ModelUnitCount($modelId: ID!) {\n    units(filter: { modelId: $modelId }, first: 1) { totalCount }\n  }\n": types.ModelUnitCountDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UnitSetProgressFields on UnitSetProgress { hookPointId dictionaryId kind total labeled disputed unlabeled }\n"): (typeof documents)["\n  fragment UnitSetProgressFields on UnitSetProgress { hookPointId dictionaryId kind total labeled disputed unlabeled }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelAtlas($id: ID!) {\n    model(id: $id) {\n      id name displayName description architecture\n      hookPoints { id name tower layer kind width }\n      dictionaries { id name hookPointId architecture dSae unitCount buildStatus builtAt }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n"): (typeof documents)["\n  query ModelAtlas($id: ID!) {\n    model(id: $id) {\n      id name displayName description architecture\n      hookPoints { id name tower layer kind width }\n      dictionaries { id name hookPointId architecture dSae unitCount buildStatus builtAt }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AtlasUnits($filter: UnitFilter, $first: Int, $after: String, $sort: UnitSort) {\n    units(filter: $filter, first: $first, after: $after, sort: $sort) {\n      totalCount\n      edges { cursor node {\n        id slug kind index labelState currentLabel topAutoLabel\n        bestLabel { label basis score }\n        hookPoint { id name }\n        dictionary { id name }\n        stats { maxActivation density multimodalScore }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query AtlasUnits($filter: UnitFilter, $first: Int, $after: String, $sort: UnitSort) {\n    units(filter: $filter, first: $first, after: $after, sort: $sort) {\n      totalCount\n      edges { cursor node {\n        id slug kind index labelState currentLabel topAutoLabel\n        bestLabel { label basis score }\n        hookPoint { id name }\n        dictionary { id name }\n        stats { maxActivation density multimodalScore }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BuildJobFields on Job { id status progress phase error examplesDone examplesTotal etaSeconds }\n"): (typeof documents)["\n  fragment BuildJobFields on Job { id status progress phase error examplesDone examplesTotal etaSeconds }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SaeBuildJobs($id: ID!) {\n    model(id: $id) { id dictionaries { id latestBuildJob { ...BuildJobFields } } }\n    datasets { id name modality size }\n  }\n"): (typeof documents)["\n  query SaeBuildJobs($id: ID!) {\n    model(id: $id) { id dictionaries { id latestBuildJob { ...BuildJobFields } } }\n    datasets { id name modality size }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartSaeBuild($input: StartAtlasBuildInput!) {\n    startAtlasBuild(input: $input) { ...BuildJobFields }\n  }\n"): (typeof documents)["\n  mutation StartSaeBuild($input: StartAtlasBuildInput!) {\n    startAtlasBuild(input: $input) { ...BuildJobFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SaeBuildProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) { jobId status phase progress examplesDone examplesTotal etaSeconds message }\n  }\n"): (typeof documents)["\n  subscription SaeBuildProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) { jobId status phase progress examplesDone examplesTotal etaSeconds message }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnitSetMap($hookPointId: ID!, $dictionaryId: ID) {\n    unitMap(hookPointId: $hookPointId, dictionaryId: $dictionaryId) {\n      source\n      points { unitId index x y labelState label topAutoLabel autoLabelScore bestLabelScore }\n    }\n  }\n"): (typeof documents)["\n  query UnitSetMap($hookPointId: ID!, $dictionaryId: ID) {\n    unitMap(hookPointId: $hookPointId, dictionaryId: $dictionaryId) {\n      source\n      points { unitId index x y labelState label topAutoLabel autoLabelScore bestLabelScore }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CurrentUser { me { id displayName role email } }"): (typeof documents)["query CurrentUser { me { id displayName role email } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) { register(input: $input) { id displayName role } }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) { register(input: $input) { id displayName role } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) { login(input: $input) { token expiresAt user { id displayName role email } } }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) { login(input: $input) { token expiresAt user { id displayName role email } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout { logout }"): (typeof documents)["mutation Logout { logout }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokenFields on ApiToken { id name prefix scopes createdAt expiresAt lastUsedAt revokedAt }\n"): (typeof documents)["\n  fragment ApiTokenFields on ApiToken { id name prefix scopes createdAt expiresAt lastUsedAt revokedAt }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyApiTokens { myApiTokens { ...ApiTokenFields } }"): (typeof documents)["query MyApiTokens { myApiTokens { ...ApiTokenFields } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { ...ApiTokenFields } } }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { ...ApiTokenFields } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ...ApiTokenFields } }"): (typeof documents)["mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ...ApiTokenFields } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnitLabelScores($id: ID!) { unit(id: $id) { id labelScores { label ...LabelScoreFields } } }\n"): (typeof documents)["\n  query UnitLabelScores($id: ID!) { unit(id: $id) { id labelScores { label ...LabelScoreFields } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnitDiscussion($id: ID!) {\n    unit(id: $id) {\n      id\n      annotations { id label status voteScore myVote author { id displayName } }\n      comments { id body createdAt author { id displayName } }\n    }\n  }\n"): (typeof documents)["\n  query UnitDiscussion($id: ID!) {\n    unit(id: $id) {\n      id\n      annotations { id label status voteScore myVote author { id displayName } }\n      comments { id body createdAt author { id displayName } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AnnotationChanged($unitId: ID!) {\n    annotationChanged(unitId: $unitId) { kind unitId annotationId commentId at }\n  }\n"): (typeof documents)["\n  subscription AnnotationChanged($unitId: ID!) {\n    annotationChanged(unitId: $unitId) { kind unitId annotationId commentId at }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Vote($annotationId: ID!, $value: Int!) {\n    vote(annotationId: $annotationId, value: $value) { id voteScore myVote }\n  }\n"): (typeof documents)["\n  mutation Vote($annotationId: ID!, $value: Int!) {\n    vote(annotationId: $annotationId, value: $value) { id voteScore myVote }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($input: AddCommentInput!) {\n    addComment(input: $input) { id }\n  }\n"): (typeof documents)["\n  mutation AddComment($input: AddCommentInput!) {\n    addComment(input: $input) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { id displayName role } }\n"): (typeof documents)["\n  query Me { me { id displayName role } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProbeModels {\n    models { id name displayName modality hookPoints { id name tower layer kind } dictionaries { id name hookPointId } }\n    probeLimits { maxImageBytes maxImagePixels imageFormats }\n  }\n"): (typeof documents)["\n  query ProbeModels {\n    models { id name displayName modality hookPoints { id name tower layer kind } dictionaries { id name hookPointId } }\n    probeLimits { maxImageBytes maxImagePixels imageFormats }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProbeUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel model { id } hookPoint { id tower } dictionary { id } }\n  }\n"): (typeof documents)["\n  query ProbeUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel model { id } hookPoint { id tower } dictionary { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Probe($input: ProbeInput!) {\n    probe(input: $input) {\n      modality gridSize tokens latencyMs\n      model { id name }\n      hookPoint { id name }\n      dictionary { id name }\n      unit { value values clsValue unit { id kind index currentLabel } }\n      topUnits { kind index value unit { id currentLabel topAutoLabel } }\n    }\n  }\n"): (typeof documents)["\n  query Probe($input: ProbeInput!) {\n    probe(input: $input) {\n      modality gridSize tokens latencyMs\n      model { id name }\n      hookPoint { id name }\n      dictionary { id name }\n      unit { value values clsValue unit { id kind index currentLabel } }\n      topUnits { kind index value unit { id currentLabel topAutoLabel } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SteerUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel topAutoLabel stats { maxActivation } hookPoint { id name tower } dictionary { id name } }\n  }\n"): (typeof documents)["\n  query SteerUnit($id: ID!) {\n    unit(id: $id) { id kind index currentLabel topAutoLabel stats { maxActivation } hookPoint { id name tower } dictionary { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProbeSteer($input: ProbeSteerInput!) {\n    probeSteer(input: $input) {\n      strength direction directionNorm unitBefore unitAfter embeddingCosine captionCount latencyMs\n      hookPoint { name }\n      classes { label before after delta }\n      captionsBefore { text before after }\n      captionsAfter { text before after }\n    }\n  }\n"): (typeof documents)["\n  query ProbeSteer($input: ProbeSteerInput!) {\n    probeSteer(input: $input) {\n      strength direction directionNorm unitBefore unitAfter embeddingCosine captionCount latencyMs\n      hookPoint { name }\n      classes { label before after delta }\n      captionsBefore { text before after }\n      captionsAfter { text before after }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LabelQueue($scope: LabelQueueScope, $skip: [ID!], $order: QueueOrder) {\n    labelQueue(scope: $scope, skip: $skip, order: $order) {\n      remainingUnlabeled remainingDisputed\n      unit {\n        id slug kind index labelState currentLabel bestLabel { label basis score }\n        model { id displayName imageGridSize }\n        hookPoint { id name tower }\n        dictionary { id name }\n        stats { maxActivation density extra }\n        autoLabels { label score method scores { ...LabelScoreFields } }\n        annotations { id label status author { displayName } scores { ...LabelScoreFields } }\n        topActivations(limit: 12) { ...TopActivationFields }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LabelQueue($scope: LabelQueueScope, $skip: [ID!], $order: QueueOrder) {\n    labelQueue(scope: $scope, skip: $skip, order: $order) {\n      remainingUnlabeled remainingDisputed\n      unit {\n        id slug kind index labelState currentLabel bestLabel { label basis score }\n        model { id displayName imageGridSize }\n        hookPoint { id name tower }\n        dictionary { id name }\n        stats { maxActivation density extra }\n        autoLabels { label score method scores { ...LabelScoreFields } }\n        annotations { id label status author { displayName } scores { ...LabelScoreFields } }\n        topActivations(limit: 12) { ...TopActivationFields }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProposeLabel($input: CreateAnnotationInput!) { createAnnotation(input: $input) { id label status unitId } }\n"): (typeof documents)["\n  mutation ProposeLabel($input: CreateAnnotationInput!) { createAnnotation(input: $input) { id label status unitId } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewQueue($first: Int, $after: String) {\n    annotations(filter: { status: PROPOSED }, first: $first, after: $after) {\n      totalCount\n      edges { node {\n        id label description tags version voteScore updatedAt\n        scores { ...LabelScoreFields }\n        author { id displayName }\n        unit { id kind index labelState hookPoint { name } model { displayName } labelAgreement { raters majorityLabel majorityShare pairwiseAgreement }\n          trustedLabel {\n            label source reason raters majorityShare alpha\n            candidates { label labelKey sources raters votes accepted detectionAuroc scores { ...LabelScoreFields } }\n          }\n        }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n    labelAgreement { alpha unitsWithOverlap ratedUnits annotators meanPairwiseAgreement }\n  }\n"): (typeof documents)["\n  query ReviewQueue($first: Int, $after: String) {\n    annotations(filter: { status: PROPOSED }, first: $first, after: $after) {\n      totalCount\n      edges { node {\n        id label description tags version voteScore updatedAt\n        scores { ...LabelScoreFields }\n        author { id displayName }\n        unit { id kind index labelState hookPoint { name } model { displayName } labelAgreement { raters majorityLabel majorityShare pairwiseAgreement }\n          trustedLabel {\n            label source reason raters majorityShare alpha\n            candidates { label labelKey sources raters votes accepted detectionAuroc scores { ...LabelScoreFields } }\n          }\n        }\n      } }\n      pageInfo { hasNextPage endCursor }\n    }\n    labelAgreement { alpha unitsWithOverlap ratedUnits annotators meanPairwiseAgreement }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReviewDecision($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { id status version } }\n"): (typeof documents)["\n  mutation ReviewDecision($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { id status version } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnitNeighbours($id: ID!, $first: Int) {\n    unit(id: $id) {\n      id\n      byDirection: neighbours(kind: DECODER_COSINE, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n      byActivation: neighbours(kind: ACTIVATION_CORRELATION, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n    }\n  }\n"): (typeof documents)["\n  query UnitNeighbours($id: ID!, $first: Int) {\n    unit(id: $id) {\n      id\n      byDirection: neighbours(kind: DECODER_COSINE, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n      byActivation: neighbours(kind: ACTIVATION_CORRELATION, first: $first) { rank score unit { id index kind labelState currentLabel topAutoLabel } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TopActivationFields on TopActivation { id band bandIndex rank maxValue values example { id index modality text tags imageUrl } }\n"): (typeof documents)["\n  fragment TopActivationFields on TopActivation { id band bandIndex rank maxValue values example { id index modality text tags imageUrl } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LabelScoreFields on LabelScore { detectionAuroc balancedAccuracy localization tagAuroc activatingExamples nonActivatingExamples heldOutExamples notes }\n"): (typeof documents)["\n  fragment LabelScoreFields on LabelScore { detectionAuroc balancedAccuracy localization tagAuroc activatingExamples nonActivatingExamples heldOutExamples notes }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnitPage($id: ID!) {\n    unit(id: $id) {\n      id slug kind index labelState currentLabel topAutoLabel\n      model { id name displayName imageGridSize }\n      hookPoint { id name tower layer kind width }\n      dictionary { id name }\n      stats { maxActivation density multimodalScore histogram { edges counts } extra }\n      autoLabels { label score method scores { ...LabelScoreFields } }\n      bestLabel { label basis score }\n      topActivations(limit: 16) { ...TopActivationFields }\n      quantileActivations { ...TopActivationFields }\n    }\n  }\n"): (typeof documents)["\n  query UnitPage($id: ID!) {\n    unit(id: $id) {\n      id slug kind index labelState currentLabel topAutoLabel\n      model { id name displayName imageGridSize }\n      hookPoint { id name tower layer kind width }\n      dictionary { id name }\n      stats { maxActivation density multimodalScore histogram { edges counts } extra }\n      autoLabels { label score method scores { ...LabelScoreFields } }\n      bestLabel { label basis score }\n      topActivations(limit: 16) { ...TopActivationFields }\n      quantileActivations { ...TopActivationFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models {\n    models {\n      id\n      name\n      displayName\n      description\n      modality\n      architecture\n      hookPoints { id tower }\n      dictionaries { id }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n"): (typeof documents)["\n  query Models {\n    models {\n      id\n      name\n      displayName\n      description\n      modality\n      architecture\n      hookPoints { id tower }\n      dictionaries { id }\n      labelingProgress { ...UnitSetProgressFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelUnitCount($modelId: ID!) {\n    units(filter: { modelId: $modelId }, first: 1) { totalCount }\n  }\n"): (typeof documents)["\n  query ModelUnitCount($modelId: ID!) {\n    units(filter: { modelId: $modelId }, first: 1) { totalCount }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;