// GraphQL documents for building a model's SAEs from the model page (admins): the datasets a build can read,
// each SAE's latest build job, starting a build of one SAE, and following a job's progress live. Result types
// are generated from the schema by graphql-codegen (apps/web/codegen.ts).
import { graphql } from "../../gql";
import type { BuildJobFieldsFragment, SaeBuildJobsQuery } from "../../gql/graphql";

export type { JobStatus } from "../../gql/graphql";
export type BuildJob = BuildJobFieldsFragment;
export type DatasetOption = SaeBuildJobsQuery["datasets"][number];

/** a build job as the SAE list shows it (latest job of an SAE, a just-started build) */
export const BUILD_JOB_FIELDS = graphql(`
  fragment BuildJobFields on Job {
    id
    status
    progress
    phase
    error
    examplesDone
    examplesTotal
    etaSeconds
  }
`);

export const SAE_BUILD_JOBS_QUERY = graphql(`
  query SaeBuildJobs($id: ID!) {
    model(id: $id) {
      id
      dictionaries {
        id
        latestBuildJob {
          ...BuildJobFields
        }
      }
    }
    datasets {
      id
      name
      modality
      size
    }
  }
`);

export const START_SAE_BUILD_MUTATION = graphql(`
  mutation StartSaeBuild($input: StartAtlasBuildInput!) {
    startAtlasBuild(input: $input) {
      ...BuildJobFields
    }
  }
`);

export const JOB_PROGRESS_SUBSCRIPTION = graphql(`
  subscription SaeBuildProgress($jobId: ID!) {
    jobProgress(jobId: $jobId) {
      jobId
      status
      phase
      progress
      examplesDone
      examplesTotal
      etaSeconds
      message
    }
  }
`);
