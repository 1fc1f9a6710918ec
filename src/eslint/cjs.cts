// `require('kubeconn')` from CommonJS (an eslint.config.cjs): the plugin object itself, as ESLint expects.
// Node ≥ 20.19 loads the ES module synchronously (it has no top-level await).
import loaded = require('./plugin.js');

export = loaded.default;
