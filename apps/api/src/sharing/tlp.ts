import { Tlp } from '@cbm/database';

/**
 * TLP 2.0 labels as people write them (FIRST's standard), shared by disclosures and requests; the
 * database stores AMBER+STRICT as AMBER_STRICT.
 */
export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

export function tlpLabel(tlp: Tlp): TlpLabel {
  return tlp === Tlp.AMBER_STRICT ? 'AMBER+STRICT' : tlp;
}

export function tlpFromLabel(label: TlpLabel): Tlp {
  return label === 'AMBER+STRICT' ? Tlp.AMBER_STRICT : (label as Tlp);
}
