// Types of api-heap.mjs (imported by the TypeScript benchmarks).
export declare const API_SEMI_SPACE_MB: number;
export declare function withApiHeapTuning(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
