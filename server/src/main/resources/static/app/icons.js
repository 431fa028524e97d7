// Small inline SVG icons instead of font glyphs: Debian's Chromium ships with DejaVu and
// Liberation only, where arrows, crosses and emoji may draw as empty boxes. Icons are
// decoration: hidden from screen readers, the button or text next to them says what they mean.
// Stroke-drawn in currentColor, so they follow the text colour (and forced colours).

const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  back: ['M15 5l-7 7 7 7', 'M8 12h12'],
  down: ['M12 5v14', 'M6 13l6 6 6-6'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  offline: ['M3 3l18 18', 'M8.5 16.5a5 5 0 0 1 7 0', 'M5 12.9a10 10 0 0 1 5.2-2.7', 'M2 8.8A15 15 0 0 1 6.2 6',
    'M14 10.3a10 10 0 0 1 5 2.6', 'M10.7 5.1A15 15 0 0 1 22 8.8', 'M12 20h.01'],
  bell: ['M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9', 'M10.3 21a1.9 1.9 0 0 0 3.4 0'],
};

/** An icon by name (see PATHS), sized in em so it scales with the text. */
export function icon(name, size = '1em') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2.2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
