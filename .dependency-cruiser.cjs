// The import rules `npm run lint:deps` checks (README, Architecture). CommonJS (.cjs) because
// dependency-cruiser loads its config with require(), and this package is "type": "module".
const entries = '^src/(main|server|app|cli|consequences)[.]ts$';
// Features that still import each other (README, Architecture): a face for each would close file circles
// through the faces, so each gets its face when the pair is broken, and leaves this list.
const notYetFaced = ['deals', 'interviews'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles, type-only imports included: a circle makes two files one, in whichever order they load.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-imports-no-feature',
      severity: 'error',
      comment:
        'src/lib/ is the infrastructure every feature stands on: it imports no feature, no entry file and no job ' +
        '(src/config.ts, the env schema, is allowed: the database and the secrets read their settings from it).',
      from: { path: '^src/lib/' },
      to: { path: '^(src|jobs)/', pathNot: ['^src/lib/', '^src/config[.]ts$'] },
    },
    {
      name: 'entries-are-imported-by-entries-only',
      severity: 'error',
      comment:
        'main.ts, server.ts, app.ts and cli.ts put the features together; a feature that imports one imports all of them. ' +
        'Shared types go to a module features may import (e.g. src/lib/http/deps.ts). Tests and bench may import them.',
      from: { path: '^(src|jobs)/', pathNot: entries },
      to: { path: entries },
    },
    {
      name: 'jobs-run-by-entries-only',
      severity: 'error',
      comment:
        'jobs/*.ts only run a job; its contract (name and payload schema), which features enqueue by, lives with its ' +
        'feature (src/<feature>/jobs.ts). Only the process that starts the worker lists the jobs.',
      from: { path: '^src/', pathNot: entries },
      to: { path: '^jobs/' },
    },
    {
      name: 'features-import-faces',
      severity: 'error',
      comment:
        'A feature imports another only through its face, src/<feature>/index.ts: what the face exports is what others may ' +
        'use, the rest may change. src/lib/ and src/config.ts are no features; tests, jobs and entry files may import anything.',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/$1/', '^src/lib/', '^src/[^/]+/index[.]ts$', `^src/(${notYetFaced.join('|')})/`],
      },
    },
    {
      name: 'api-calls-services-not-models',
      severity: 'error',
      comment:
        'The JSON API (src/api/) goes through the features\' services, as the pages do, so a rule a service keeps ' +
        '(ownership, disclosure, the state machine) cannot be skipped by a query of its own; types and constants too come through them.',
      from: { path: '^src/api/' },
      to: { path: '^src/[^/]+/model[.]ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the check cannot follow is an arrow it cannot judge: make it resolvable.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|engine|public|views|scripts)/' },
    // swc reads the .ts files (TypeScript 7 has no JavaScript API for the tool to use); type-only imports
    // are arrows too.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.d.ts'], conditionNames: ['import', 'require', 'node', 'default', 'types'], exportsFields: ['exports'], mainFields: ['module', 'main', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
