import { join } from 'node:path';
import { guideFileName, isGuideSection } from '../shared/guide';

/** The guide's folder in the packaged app (electron-builder.yml's extraResources) under the resources folder. */
export const GUIDE_RESOURCE_DIR = 'guide';

/**
 * The guide page to show and its anchor: one of the two HTML files of docs/guide (in the packaged app,
 * copied to resources/guide), in the language asked, at a checked section. Nothing here comes from the page
 * but the section, and a section that is not the guide's opens the guide at its start.
 */
export function guideLocation(options: {
  packaged: boolean;
  resourcesPath: string;
  appRoot: string;
  locale: string;
  section: string | null;
}): { file: string; hash: string | undefined } {
  const dir = options.packaged ? join(options.resourcesPath, GUIDE_RESOURCE_DIR) : join(options.appRoot, 'docs', 'guide');
  return { file: join(dir, guideFileName(options.locale)), hash: isGuideSection(options.section) ? options.section : undefined };
}
