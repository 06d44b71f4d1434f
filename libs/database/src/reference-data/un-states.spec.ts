import countries from 'i18n-iso-countries';
import worldCountries from 'world-countries';
import { UnMembership, UnRegionalGroup } from '../generated/prisma/enums';
import { UN_STATES } from './un-states';

describe('UN States reference data', () => {
  it('has 195 distinct States: 193 members and 2 observers', () => {
    expect(UN_STATES).toHaveLength(195);
    expect(new Set(UN_STATES.map((state) => state.code)).size).toBe(195);
    expect(UN_STATES.filter((state) => state.membership === UnMembership.MEMBER)).toHaveLength(193);
    expect(UN_STATES.filter((state) => state.membership === UnMembership.OBSERVER).map((state) => state.code).sort()).toEqual([
      'PSE',
      'VAT',
    ]);
  });

  it('uses valid ISO 3166-1 alpha-3 codes only', () => {
    const invalid = UN_STATES.filter((state) => !countries.isValid(state.code) || state.code !== state.code.toUpperCase());
    expect(invalid).toEqual([]);
  });

  it('has exactly the UN members that an independent data set lists', () => {
    // world-countries 5.1 flags the Holy See as a member; it is a non-member observer State.
    const knownErrata = new Set(['VAT']);
    const independent = worldCountries
      .filter((country) => country.unMember && !knownErrata.has(country.cca3))
      .map((country) => country.cca3)
      .sort();
    const ours = UN_STATES.filter((state) => state.membership === UnMembership.MEMBER).map((state) => state.code).sort();
    expect(ours).toEqual(independent);
  });

  it('splits the members over the five regional groups as the UN does', () => {
    const members = UN_STATES.filter((state) => state.membership === UnMembership.MEMBER);
    const count = (region: UnRegionalGroup) => members.filter((state) => state.region === region).length;
    expect({
      african: count(UnRegionalGroup.AFRICAN),
      asiaPacific: count(UnRegionalGroup.ASIA_PACIFIC),
      easternEuropean: count(UnRegionalGroup.EASTERN_EUROPEAN),
      latinAmericanAndCaribbean: count(UnRegionalGroup.LATIN_AMERICAN_AND_CARIBBEAN),
      // 28 members and the United States, which sits in WEOG as an observer and counts there for elections.
      westernEuropeanAndOthers: count(UnRegionalGroup.WESTERN_EUROPEAN_AND_OTHERS),
    }).toEqual({ african: 54, asiaPacific: 54, easternEuropean: 23, latinAmericanAndCaribbean: 33, westernEuropeanAndOthers: 29 });
  });
});
