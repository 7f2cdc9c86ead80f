import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { installElement } from './plugins/element';
import './styles.css';
import App from './App.vue';
import { createAppRouter, loginRedirect } from './router';
import { createAppI18n } from './i18n';
import { onReachability, onUnauthorized } from './api/http';
import { usePrefs } from './stores/prefs';
import { useAuth } from './stores/auth';
import { useConnection } from './stores/connection';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const prefs = usePrefs();
const i18n = createAppI18n(prefs.locale);
const router = createAppRouter();
app.use(i18n).use(router);
installElement(app);

// A 401 anywhere means the session is gone: back to login, then back to this page.
onUnauthorized(() => {
  useAuth().expire();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push(loginRedirect(current, true));
});
onReachability((ok) => useConnection().report(ok));

app.mount('#app');
