// The actions the Settings page asks the caller's permissions about (api/permissions.ts).
export const PROVIDERS_READ = 'Microsoft.Resources/subscriptions/providers/read';
export const registerAction = (namespace: string) => `${namespace}/register/action`;
export const ACTIVITY_READ = 'Microsoft.Insights/eventtypes/values/read';
