/**
 * The car picture of an order confirmation: vector art made for this project, a side view drawn
 * from the catalogue's options: the range's image key sets the body length (a longer battery, a
 * longer wheelbase), the exterior paint's swatch colours the body and the interior trim's swatch
 * the seats seen through the glass. One list of shapes feeds both the PDF (pdfkit paths) and a
 * standalone SVG, so the two can never disagree.
 */

/** What the picture is drawn from: catalogue image key and swatches. */
export interface CarImageSpec {
  /** The chosen range's `imageKey` (`range-short`, `range-medium`, `range-long`). */
  readonly rangeImageKey: string;
  /** The exterior paint's swatch, `#rrggbb`. */
  readonly bodyColor: string;
  /** The interior trim's swatch, `#rrggbb`. */
  readonly interiorColor: string;
}

/** One filled and/or stroked SVG path. */
export interface CarShape {
  readonly d: string;
  readonly fill?: string;
  readonly stroke?: string;
  readonly strokeWidth?: number;
  /** Fill opacity, 0..1. @defaultValue 1 */
  readonly opacity?: number;
}

/**
 * Extra wheelbase, in drawing units, per range image key. A key without its own entry (a range
 * added to the catalogue later) is drawn with the base body rather than failing the document.
 */
export const WHEELBASE_STRETCH: Readonly<Record<string, number>> = Object.freeze({
  'range-short': 0,
  'range-medium': 22,
  'range-long': 44,
});

/** Height of the drawing in its own units; the width depends on the range (see {@link carImageSize}). */
const HEIGHT = 170;
const BASE_WIDTH = 400;
const TIRE = '#1b1d21';
const RIM = '#c9ced4';
const GLASS = '#26303b';

/** Width and height of the drawing, in drawing units. */
export function carImageSize(spec: CarImageSpec): { width: number; height: number } {
  return { width: BASE_WIDTH + stretchOf(spec), height: HEIGHT };
}

/** The picture as shapes, back to front. */
export function carShapes(spec: CarImageSpec): CarShape[] {
  const s = stretchOf(spec);
  // Everything behind the B-pillar moves right by the stretch: x(v) keeps one set of coordinates.
  const x = (v: number): number => (v <= 200 ? v : v + s);
  const outline = shade(spec.bodyColor, 0.45);
  const frontWheel = 98;
  const rearWheel = x(304);
  return [
    // Ground shadow.
    { d: ellipse((20 + x(380)) / 2, 150, (x(380) - 20) / 2, 7), fill: '#000000', opacity: 0.12 },
    // Wheel arches, dark, so the wheels sit in the body.
    { d: circle(frontWheel, 122, 33), fill: '#2a2d33' },
    { d: circle(rearWheel, 122, 33), fill: '#2a2d33' },
    // Body.
    {
      d:
        `M 20 128 L 20 104 Q 22 88 46 84 L 122 75 Q 152 48 192 42 L ${x(252)} 40 ` +
        `Q ${x(302)} 42 ${x(342)} 70 Q ${x(374)} 77 ${x(380)} 98 L ${x(380)} 128 Z`,
      fill: spec.bodyColor,
      stroke: outline,
      strokeWidth: 1.5,
    },
    // Lower sill, a darker band that grounds the body.
    { d: `M 24 120 L ${x(376)} 120 L ${x(376)} 128 L 24 128 Z`, fill: shade(spec.bodyColor, 0.25) },
    // Seats seen through the side windows, in the interior trim colour.
    { d: roundedRect(168, 56, 16, 22, 4), fill: spec.interiorColor },
    { d: roundedRect(x(262), 56, 16, 22, 4), fill: spec.interiorColor },
    // Side glass, tinted so the seats show through.
    {
      d: `M 134 76 Q 160 54 194 49 L 214 48 L 214 76 Z M 226 48 L ${x(250)} 47 Q ${x(292)} 49 ${x(326)} 74 L 226 76 Z`,
      fill: GLASS,
      opacity: 0.72,
    },
    // Door seams and handle.
    { d: `M 220 46 L 220 118 M ${x(300)} 78 L ${x(300)} 118`, stroke: outline, strokeWidth: 1 },
    { d: roundedRect(190, 86, 16, 3.5, 1.5), fill: outline },
    { d: roundedRect(x(266), 86, 16, 3.5, 1.5), fill: outline },
    // Head- and tail-lights.
    { d: 'M 24 94 Q 34 86 52 86 L 50 93 Z', fill: '#fff4c2', stroke: outline, strokeWidth: 0.8 },
    { d: `M ${x(372)} 82 Q ${x(379)} 88 ${x(379)} 96 L ${x(366)} 94 Z`, fill: '#d0202a' },
    // Wheels: tyre, rim, hub.
    { d: circle(frontWheel, 122, 27), fill: TIRE },
    { d: circle(rearWheel, 122, 27), fill: TIRE },
    { d: circle(frontWheel, 122, 16), fill: RIM },
    { d: circle(rearWheel, 122, 16), fill: RIM },
    { d: circle(frontWheel, 122, 5), fill: TIRE },
    { d: circle(rearWheel, 122, 5), fill: TIRE },
  ];
}

/** The picture as a standalone SVG document (the same shapes the PDF draws). */
export function carImageSvg(spec: CarImageSpec): string {
  const { width, height } = carImageSize(spec);
  const body = carShapes(spec)
    .map((shape) => {
      const attributes = [`d="${shape.d}"`, `fill="${shape.fill ?? 'none'}"`];
      if (shape.opacity !== undefined) attributes.push(`fill-opacity="${shape.opacity}"`);
      if (shape.stroke !== undefined)
        attributes.push(`stroke="${shape.stroke}"`, `stroke-width="${shape.strokeWidth ?? 1}"`);
      return `  <path ${attributes.join(' ')}/>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">\n${body}\n</svg>\n`;
}

/** Draws the picture into a pdfkit document with its top-left corner at (x, y), `width` points wide. */
export function drawCarImage(
  doc: PDFKit.PDFDocument,
  spec: CarImageSpec,
  x: number,
  y: number,
  width: number,
): void {
  const scale = width / carImageSize(spec).width;
  doc.save();
  doc.translate(x, y).scale(scale);
  for (const shape of carShapes(spec)) {
    doc.path(shape.d);
    if (shape.fill !== undefined && shape.stroke !== undefined) {
      doc.lineWidth(shape.strokeWidth ?? 1).fillAndStroke(shape.fill, shape.stroke);
    } else if (shape.fill !== undefined) {
      doc.fillOpacity(shape.opacity ?? 1).fill(shape.fill);
      doc.fillOpacity(1);
    } else if (shape.stroke !== undefined) {
      doc.lineWidth(shape.strokeWidth ?? 1).stroke(shape.stroke);
    }
  }
  doc.restore();
}

function stretchOf(spec: CarImageSpec): number {
  return WHEELBASE_STRETCH[spec.rangeImageKey] ?? 0;
}

/** `#rrggbb` mixed with black: `amount` 0 keeps the colour, 1 gives black. */
function shade(hex: string, amount: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number): string =>
    Math.round(((value >> shift) & 0xff) * (1 - amount))
      .toString(16)
      .padStart(2, '0');
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}

function circle(cx: number, cy: number, r: number): string {
  return ellipse(cx, cy, r, r);
}

function ellipse(cx: number, cy: number, rx: number, ry: number): string {
  return `M ${cx - rx} ${cy} A ${rx} ${ry} 0 1 0 ${cx + rx} ${cy} A ${rx} ${ry} 0 1 0 ${cx - rx} ${cy} Z`;
}

function roundedRect(x: number, y: number, w: number, h: number, r: number): string {
  return (
    `M ${x + r} ${y} L ${x + w - r} ${y} Q ${x + w} ${y} ${x + w} ${y + r} L ${x + w} ${y + h - r} ` +
    `Q ${x + w} ${y + h} ${x + w - r} ${y + h} L ${x + r} ${y + h} Q ${x} ${y + h} ${x} ${y + h - r} ` +
    `L ${x} ${y + r} Q ${x} ${y} ${x + r} ${y} Z`
  );
}
