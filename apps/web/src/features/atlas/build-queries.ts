// GraphQL documents for building a model's SAEs from the model page (admins): the datasets a build can read,
// each SAE's latest build job, starting a build of one SAE, and following a job's progress live.
import { gql } from "urql";

export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export interface DatasetOption { id: string; name: string; modality: string; size: number }

export interface BuildJob {
  id: string; status: JobStatus; progress: number; phase: string | null; error: string | null;
  examplesDone: number | null; examplesTotal: number | null; etaSeconds: number | null;
}

export interface SaeBuildJobs {
  model: { id: string; dictionaries: { id: string; latestBuildJob: BuildJob | null }[] };
  datasets: DatasetOption[];
}

export const SAE_BUILD_JOBS_QUERY = gql`
  query SaeBuildJobs($id: ID!) {
    model(id: $id) { id dictionaries { id latestBuildJob { id status progress phase error examplesDone examplesTotal etaSeconds } } }
    datasets { id name modality size }
  }
`;

export const START_SAE_BUILD_MUTATION = gql`
  mutation StartSaeBuild($input: StartAtlasBuildInput!) {
    startAtlasBuild(input: $input) { id status progress phase error examplesDone examplesTotal etaSeconds }
  }
`;

export interface JobProgressEvent {
  jobId: string; status: JobStatus; phase: string; progress: number;
  examplesDone: number; examplesTotal: number; etaSeconds: number | null; message: string | null;
}

export const JOB_PROGRESS_SUBSCRIPTION = gql`
  subscription SaeBuildProgress($jobId: ID!) {
    jobProgress(jobId: $jobId) { jobId status phase progress examplesDone examplesTotal etaSeconds message }
  }
`;
