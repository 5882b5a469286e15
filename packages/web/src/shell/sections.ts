// The portal's sections: the left navigation, and the paths the server answers with the portal
// (packages/server/src/api/portal-routes.ts lists the same first segments; the browser test
// loads each one directly, so the two lists cannot drift apart unnoticed).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface Section {
  path: string;
  label: string;
  /** What the page will hold, for the placeholder of a page not built yet. */
  purpose: string;
  page?: LazyExoticComponent<ComponentType>;
  /** The page of one item below the section's path (/incidents/<incident id>), which reads the path itself. */
  itemPage?: LazyExoticComponent<ComponentType>;
}

export const SECTIONS: readonly Section[] = [
  {
    path: '/workspaces',
    label: 'Workspaces',
    purpose: 'every Microsoft Sentinel workspace in the selected directories and subscriptions.',
    page: lazy(() => import('../pages/WorkspacesPage.tsx')),
  },
  {
    path: '/overview',
    label: 'Overview',
    purpose: 'events and alerts over time against the previous period, incidents by status and severity, recent incidents, data sources and their volumes, and anomalies in data arrival, per workspace and across the selection.',
    page: lazy(() => import('../pages/OverviewPage.tsx')),
  },
  {
    path: '/incidents',
    label: 'Incidents',
    purpose: 'the incident queue across every selected workspace: filters, sorting, paging, bulk changes, and each incident with its alerts, entities, timeline, comments and tasks.',
    page: lazy(() => import('../pages/IncidentsPage.tsx')),
    itemPage: lazy(() => import('../pages/IncidentPage.tsx')),
  },
  {
    path: '/logs',
    label: 'Logs',
    purpose: 'the KQL editor with results, charts, time ranges, query history and saved queries.',
    page: lazy(() => import('../pages/LogsPage.tsx')),
  },
  {
    path: '/analytics',
    label: 'Analytics',
    purpose: 'analytics rules with their health, the rule template gallery and the rule wizard.',
    page: lazy(() => import('../pages/AnalyticsPage.tsx')),
  },
  {
    path: '/watchlists',
    label: 'Watchlists',
    purpose: 'the watchlists of each workspace: their items, created from CSV, and used in KQL with _GetWatchlist().',
    page: lazy(() => import('../pages/WatchlistsPage.tsx')),
  },
  {
    path: '/automation',
    label: 'Automation',
    purpose: 'the automation rules of each workspace: triggers, conditions, actions and their order.',
    page: lazy(() => import('../pages/AutomationPage.tsx')),
  },
  {
    path: '/data-connectors',
    label: 'Data connectors',
    purpose: 'the data connectors of each workspace with their status and volume.',
    page: lazy(() => import('../pages/DataConnectorsPage.tsx')),
  },
  {
    path: '/settings',
    label: 'Settings',
    purpose: 'resource provider registration, delegations (as a customer and as the MSSP) and the activity log.',
    page: lazy(() => import('../pages/SettingsPage.tsx')),
  },
];

export const HOME_PATH = '/workspaces';

export function sectionOf(path: string): Section | undefined {
  const first = '/' + (path.split('/')[1] ?? '').toLowerCase();
  return SECTIONS.find((s) => s.path === first);
}
