// Public surface of image preprocessing.
export { decodeImage, sniffImageFormat, type RgbaImage } from "./decode-image";
export { resizeBilinearRgb, bilinearTaps } from "./resize";
export { clipResizeCropRgb, shortestEdgeSize } from "./clip-resize";
export { preprocessImage, preprocessImages, type ImageInput } from "./preprocess-images";
