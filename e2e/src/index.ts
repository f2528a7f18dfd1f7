// The e2e harness: real API + built web app on free ports, Debian Chromium, screenshots.
export { startTestApi, type TestApi } from "./api-server";
export { startWebServer, type WebServer } from "./web-server";
export { launchBrowser, CHROMIUM_PATH } from "./browser";
export { saveScreenshot } from "./screenshot";
export { closeAll, signedInContext, signUp, type SignedUp } from "./people";
export { freePort } from "./free-port";
export { useImportEnv } from "./import-env";
export { postGraphql, type GraphqlReply } from "./graphql-post";
export * from "./paths";
