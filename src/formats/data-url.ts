import type { ImagePart } from './internal.js';

const dataUrlPattern = /^data:([^;,]+);base64,(.*)$/s;

/** An image URL as an internal image: `data:` URLs become inline base64, others stay URLs. */
export function imageFromUrl(url: string): ImagePart {
  const match = dataUrlPattern.exec(url);
  if (match) return { type: 'image', source: 'base64', mediaType: match[1] as string, data: match[2] as string };
  return { type: 'image', source: 'url', url };
}

/** An internal image as one URL (inline images as `data:` URLs), for the OpenAI formats. */
export function imageUrl(image: ImagePart): string {
  return image.source === 'url' ? image.url : `data:${image.mediaType};base64,${image.data}`;
}
