/** The Data connectors page of one workspace (its ARM id), as the Workspaces list links to it. */
export const connectorsHref = (workspaceId: string) => `/data-connectors?workspace=${encodeURIComponent(workspaceId)}`;
