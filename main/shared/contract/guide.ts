import { z } from 'zod';
import { isGuideSection } from '../guide';

/** The staff guide: the page names a section (a topic or an error code's row), never a file or a URL. */
export const GuideSection = z.string().max(60).refine(isGuideSection, { message: 'not a section of the guide' });

export const OpenGuideInput = z.object({ section: GuideSection.optional() });
