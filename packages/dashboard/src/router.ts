import { createRouter, createWebHistory, type RouteLocationNormalized, type Router } from 'vue-router';
import { useAuth } from './stores/auth';

// The paths are part of the contract: notifications link to PUBLIC_URL/alerts/<id> and /incidents/<id>.
const routes = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./components/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'overview', component: () => import('./pages/OverviewPage.vue') },
      { path: 'logs', name: 'logs', component: () => import('./pages/LogsPage.vue') },
      { path: 'logs/:id', name: 'log', component: () => import('./pages/LogPage.vue'), props: true },
      { path: 'templates', name: 'templates', component: () => import('./pages/TemplatesPage.vue') },
      { path: 'alerts', name: 'alerts', component: () => import('./pages/AlertsPage.vue') },
      { path: 'alerts/:id', name: 'alert', component: () => import('./pages/AlertPage.vue'), props: true },
      { path: 'incidents', name: 'incidents', component: () => import('./pages/IncidentsPage.vue') },
      { path: 'incidents/:id', name: 'incident', component: () => import('./pages/IncidentPage.vue'), props: true },
      { path: 'rules', name: 'rules', component: () => import('./pages/RulesPage.vue') },
      // /rules/new opens an empty editor; any other id edits that rule.
      { path: 'rules/:id', name: 'rule', component: () => import('./pages/RulePage.vue'), props: true },
      { path: 'channels', name: 'channels', component: () => import('./pages/ChannelsPage.vue') },
      { path: 'silences', name: 'silences', component: () => import('./pages/SilencesPage.vue') },
      // /settings/llm, /settings/keys, /settings/users, /settings/audit, /settings/preferences
      { path: 'settings', redirect: { name: 'settings', params: { tab: 'llm' } } },
      { path: 'settings/:tab', name: 'settings', component: () => import('./pages/SettingsPage.vue'), props: true },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
    ],
  },
];

/** Where to send someone who is not signed in, remembering the page they asked for. */
export function loginRedirect(to: Pick<RouteLocationNormalized, 'fullPath'>, expired = false) {
  return { name: 'login', query: { redirect: to.fullPath, ...(expired ? { expired: '1' } : {}) } };
}

/** The router with the sign-in guard: every page but /login needs a session. */
export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const auth = useAuth();
    if (!auth.checked) await auth.load().catch(() => undefined);
    return auth.user ? true : loginRedirect(to);
  });
  return router;
}
