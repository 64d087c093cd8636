/**
 * The fonts embedded in every PDF: Roboto (OFL-1.1) from the `@expo-google-fonts/roboto` registry
 * package, read from node_modules, never fetched at run time. PDF's built-in Helvetica is not an
 * option: it is not embedded (viewers substitute it) and it has no glyphs for ₹, ₩ or ₺.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';

const require = createRequire(import.meta.url);

/** Font names the templates use with `doc.font(...)`. */
export const FONT = Object.freeze({ regular: 'Roboto', bold: 'Roboto-Bold' });

/** The TTF files, resolved through the package so a different node_modules layout still works. */
export const FONT_FILES = Object.freeze({
  [FONT.regular]: require.resolve('@expo-google-fonts/roboto/400Regular/Roboto_400Regular.ttf'),
  [FONT.bold]: require.resolve('@expo-google-fonts/roboto/700Bold/Roboto_700Bold.ttf'),
});

let parsed: ReadonlyMap<string, Font> | undefined;

/**
 * The fonts, read and parsed once per thread. pdfkit accepts a parsed fontkit font and makes a
 * fresh subset of it for each document; handing it the file bytes instead made it parse the
 * tables (cmap, GSUB, GPOS) again for every document, which was 90% of a quote's render time.
 */
export function fonts(): ReadonlyMap<string, Font> {
  parsed ??= new Map(
    Object.entries(FONT_FILES).map(([name, file]) => {
      const font = create(readFileSync(file));
      // A .ttc collection would give a FontCollection; the package ships plain TTFs.
      if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
      return [name, font];
    }),
  );
  return parsed;
}
