// Matrix products on onnxruntime (finalize's similar units and joint-space directions).
export { onnxMatMul, type OnnxMatMul } from "./mat-mul";
export { onnxRowProducts, type RowProductsOptions } from "./row-products";
