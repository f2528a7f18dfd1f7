// Builds the executable GraphQL schema from the type-graphql resolvers (once per process).
import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { AuthResolver } from "./resolvers/auth.resolver";
import {
  CatalogQueryResolver,
  DictionaryFieldsResolver,
  HookPointFieldsResolver,
  ModelFieldsResolver,
  UnitConnectionResolver,
} from "./resolvers/catalog.resolver";
import {
  AnnotationChangeFieldsResolver,
  AnnotationFieldsResolver,
  AnnotationRevisionFieldsResolver,
  CommentFieldsResolver,
  LabelingResolver,
} from "./resolvers/labeling.resolver";
import { JobsResolver } from "./resolvers/jobs.resolver";
import { PortingResolver } from "./resolvers/porting.resolver";
import { ProbeResolver } from "./resolvers/probe.resolver";
import { ExampleFieldsResolver, TopActivationFieldsResolver, UnitFieldsResolver } from "./resolvers/unit.resolver";
import {
  DictionaryMapResolver,
  HookPointMapResolver,
  UnitMapQueryResolver,
  UnitNeighboursResolver,
} from "./resolvers/neighbours.resolver";
import { AnnotationQueryResolver } from "./resolvers/annotation-query.resolver";
import {
  AnnotationScoresResolver,
  AutoLabelScoresResolver,
  LabelScoresMutationResolver,
  UnitLabelScoresResolver,
} from "./resolvers/label-scores.resolver";
import { ModelProgressResolver, UnitAgreementResolver, WorkbenchQueryResolver } from "./resolvers/workbench.resolver";
import { LabelCandidateScoresResolver, UnitTrustedLabelResolver } from "./resolvers/trusted-label.resolver";
import { HeadDecompositionQueryResolver, UnitHeadDecompositionResolver } from "./resolvers/head-decomposition.resolver";
import { ModelLabelScoringJobResolver } from "./resolvers/label-scoring-job.resolver";
import { ModelProbingResolver, ProbingMutationResolver } from "./resolvers/probing.resolver";
import {
  FeatureVisualizationMutationResolver,
  UnitFeatureVisualizationResolver,
} from "./resolvers/feature-vis.resolver";

let schema: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql insists on a global pubSub as soon as a @Subscription exists, but ours subscribe through the
 * request context's PubSub (`subscribe` option), so a topic-based subscription is a programming error here.
 */
const topicSubscriptionsUnsupported: PubSub = {
  publish() {
    throw new Error("publish through ApiContext.pubsub");
  },
  subscribe() {
    throw new Error("use @Subscription({ subscribe }) with ApiContext.pubsub, not topics");
  },
};

export function buildApiSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [
      CatalogQueryResolver,
      UnitConnectionResolver,
      ModelFieldsResolver,
      HookPointFieldsResolver,
      DictionaryFieldsResolver,
      UnitFieldsResolver,
      ExampleFieldsResolver,
      TopActivationFieldsResolver,
      AuthResolver,
      LabelingResolver,
      AnnotationFieldsResolver,
      AnnotationRevisionFieldsResolver,
      CommentFieldsResolver,
      AnnotationChangeFieldsResolver,
      ProbeResolver,
      JobsResolver,
      AnnotationQueryResolver,
      WorkbenchQueryResolver,
      ModelProgressResolver,
      UnitAgreementResolver,
      PortingResolver,
      UnitNeighboursResolver,
      HookPointMapResolver,
      DictionaryMapResolver,
      UnitMapQueryResolver,
      UnitLabelScoresResolver,
      AutoLabelScoresResolver,
      AnnotationScoresResolver,
      LabelScoresMutationResolver,
      ModelLabelScoringJobResolver,
      ModelProbingResolver,
      ProbingMutationResolver,
      UnitTrustedLabelResolver,
      LabelCandidateScoresResolver,
      UnitHeadDecompositionResolver,
      HeadDecompositionQueryResolver,
      UnitFeatureVisualizationResolver,
      FeatureVisualizationMutationResolver,
    ],
    pubSub: topicSubscriptionsUnsupported,
    validate: false, // inputs are validated by the libs (typed AppErrors)
  });
  return schema;
}
