export { certVCardEntry, contactVCardEntry, isFunctionContact } from './vcard-entries';
export { toVCard, VCARD_MEDIA_TYPE } from './vcard';
