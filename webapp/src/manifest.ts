// The repository's plugin.json is the single source of truth for the plugin's
// identity; the bundle reads it at build time instead of repeating the id.
import manifest from '../../plugin.json';

export const id: string = manifest.id;
