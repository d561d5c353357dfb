/** The current build id, known on the server once islands are built and in the browser after boot. */
let buildId: string | undefined;

/** Records the build id used by `asset()`. */
export function setBuildId(id: string | undefined): void {
  buildId = id;
}

/** The build id, or undefined when no build is known. */
export function getBuildId(): string | undefined {
  return buildId;
}
