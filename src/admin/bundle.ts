import { bundle } from '@adminjs/bundler';
import { relative } from 'node:path';
import { componentLoader } from './components.js';
import { adminAssetsDir } from '../http/app.js';

/**
 * `npm run build` step: bundles the admin's browser code (AdminJS core + our components) into dist/admin-assets,
 * which the server serves as static files, so start-up never runs a bundler.
 */
const started = Date.now();
await bundle({ componentLoader, destinationDir: relative(process.cwd(), adminAssetsDir) });
console.log(`admin bundle written to ${relative(process.cwd(), adminAssetsDir)} in ${Date.now() - started} ms`);
