// The engine's second look for faces too small for the whole-photo pass: a held ID card's portrait.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { useVision } from '../../support/vision.js';
import { cropPortrait, renderIdCard, selfieHoldingCard } from '../../support/compose.js';
import { faceSimilarity, FACE_MATCH } from '../../../src/vision/index.js';

const photo = async (rel: string) => Buffer.from(await readFile(fixture(rel)));

describe.skipIf(!haveFixtures)('small-face search', () => {
  const vision = useVision();

  it('finds the portrait of a card held against the cheek, inside the live face box', async () => {
    // a card with one woman's portrait, held by another woman beside her chin: the whole-photo pass
    // sees one face, and the portrait lies within the live face's box, a tenth of its width
    const idPerson = await photo('faces/human/stock-emotions-a-3.jpg');
    const portraitFace = (await vision.analyze(idPerson, { face: true })).faces[0];
    const card = await renderIdCard({ portrait: await cropPortrait(idPerson, portraitFace.box), name: 'SPECIMEN', number: '330106199203150020' });
    const person = await photo('faces/human/stock-emotions-a-7.jpg');
    const face = (await vision.analyze(person, { face: true })).faces[0].box;
    const selfie = await selfieHoldingCard(person, card, { face, cardWidth: 0.45 });
    expect((await vision.analyze(selfie, { face: true, maxFaces: 2 })).faces).toHaveLength(1);

    const obs = await vision.analyze(selfie, { face: true, embed: true, maxFaces: 2, smallFaces: true });
    expect(obs.faces).toHaveLength(2);
    const [live, held] = obs.faces;
    expect(held.box.width).toBeLessThan(live.box.width / 3);
    const cx = held.box.x + held.box.width / 2;
    const cy = held.box.y + held.box.height / 2;
    expect(cx).toBeGreaterThan(live.box.x);
    expect(cx).toBeLessThan(live.box.x + live.box.width);
    expect(cy).toBeGreaterThan(live.box.y);
    expect(cy).toBeLessThan(live.box.y + live.box.height);
    // it is the card's portrait: the ID person's face, not the live one's
    const id = (await vision.analyze(idPerson, { face: true, embed: true })).faces[0];
    expect(faceSimilarity(held.embedding!, id.embedding!)).toBeGreaterThan(faceSimilarity(held.embedding!, live.embedding!));
    expect(faceSimilarity(held.embedding!, id.embedding!)).toBeGreaterThan(FACE_MATCH.rejectBelow);
  }, 60_000);
});
