// Issue 21: what a photo or video bubble shows beyond the picture: a video's poster frame (asked
// for only when the message says it has one: media.poster), its play button and duration, and
// the caption. Also the composer's rules for captions. Built with dom.js's h(): text is always a
// text node, never markup.

import { h } from './dom.js';

/** docs/api.md: a caption has at most 1,000 characters (code points). */
export const MAX_CAPTION = 1000;

const SVG = 'http://www.w3.org/2000/svg';

/** A play button drawn as SVG (no glyph that a font may lack), centred on the poster. */
export function playIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 48 48');
  svg.setAttribute('width', '48');
  svg.setAttribute('height', '48');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'play-icon');
  const circle = document.createElementNS(SVG, 'circle');
  circle.setAttribute('cx', '24');
  circle.setAttribute('cy', '24');
  circle.setAttribute('r', '23');
  const triangle = document.createElementNS(SVG, 'path');
  triangle.setAttribute('d', 'M19 14 L35 24 L19 34 Z');
  svg.append(circle, triangle);
  return h('span', { class: 'play', 'aria-hidden': 'true' }, svg);
}

/** "m:ss" (or "h:mm:ss") of a duration in milliseconds; null if unknown. */
export function formatDuration(ms) {
  if (ms == null || !(ms >= 0)) return null;
  const total = Math.round(ms / 1000);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  const ss = String(s).padStart(2, '0');
  return hours ? `${hours}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The duration badge of a video bubble, or null if the duration is unknown. */
export function durationBadge(ms) {
  const text = formatDuration(ms);
  return text ? h('span', { class: 'duration' }, text) : null;
}

/** Whether a video message's media has a poster to ask for (?variant=thumbnail); photos always do. */
export function hasThumbnail(type, media) {
  return type === 'image' || Boolean(media && media.poster === true);
}

/** The tile of a video without a poster: the play button above the word, side by side with no overlap. */
export function videoTile(media) {
  return h('span', { class: 'video-tile' }, playIcon(), h('span', { class: 'tile-label' }, 'Video'),
    durationBadge(media && media.durationMs));
}

/** The media button with its caption below it, or the button alone. */
export function withCaption(button, caption) {
  if (!caption) return button;
  return h('div', { class: 'media-with-caption' }, button, h('p', { class: 'text caption' }, caption));
}

/**
 * The caption the composer's text gives a batch of files (on the last one), or an error message
 * if it is too long; null caption when the text is blank.
 */
export function captionFrom(text) {
  if (!text || !text.trim()) return { caption: null };
  const length = [...text].length;
  if (length > MAX_CAPTION) {
    return { error: `A caption can have at most ${MAX_CAPTION.toLocaleString()} characters (it has ${length.toLocaleString()}).` };
  }
  return { caption: text };
}
