// All-pairs products on onnxruntime (the similar-units pass of finalize).
export { onnxRowProducts, type RowProductsOptions } from "./row-products";
