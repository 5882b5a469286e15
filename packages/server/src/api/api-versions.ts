// The api-versions each family of routes accepts (newest first). The SDK versions we test
// with send the first of each list; older ones are accepted because scripts pin them.
export const API_VERSIONS = {
  subscriptions: ['2022-12-01', '2021-01-01', '2020-01-01', '2019-11-01', '2016-06-01'],
  resources: ['2025-04-01', '2025-03-01', '2024-11-01', '2024-07-01', '2024-03-01', '2022-09-01', '2021-04-01', '2020-06-01', '2019-10-01'],
  deployments: ['2026-06-01', '2025-04-01', '2025-03-01', '2024-11-01', '2024-07-01', '2024-03-01', '2022-09-01', '2021-04-01', '2020-06-01', '2019-10-01'],
  operationalInsights: ['2025-07-01', '2025-02-01', '2023-09-01', '2022-10-01', '2021-12-01-preview', '2021-06-01', '2020-10-01', '2020-08-01'],
  securityInsights: ['2025-09-01', '2025-06-01', '2025-03-01', '2024-09-01', '2024-03-01', '2023-11-01', '2023-02-01', '2022-11-01', '2022-09-01-preview'],
  managedServices: ['2022-10-01', '2022-01-01-preview', '2020-02-01-preview', '2019-09-01', '2019-06-01'],
  authorization: ['2022-04-01', '2020-10-01', '2020-04-01-preview', '2018-01-01-preview', '2015-07-01'],
  activityLog: ['2015-04-01'],
  dataCollection: ['2023-03-11', '2022-06-01', '2021-09-01-preview', '2021-04-01'],
  logsIngestion: ['2023-01-01', '2021-11-01-preview'],
  dataCollector: ['2016-04-01'],
  vigil: ['2025-01-01'],
  vigilImport: ['2025-01-01'],
} as const;

/** Operations answer at the api-version of the request that started them. */
export const ALL_API_VERSIONS: readonly string[] = [...new Set(Object.values(API_VERSIONS).flat())];
