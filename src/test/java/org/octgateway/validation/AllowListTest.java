package org.octgateway.validation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an allow-list setting lets through. */
class AllowListTest {

    @Test
    void anEmptyOrBlankSettingAllowsNothing() {
        for (String setting : new String[] {null, "", " , ,"}) {
            AllowList list = new AllowList(setting);
            assertTrue(list.isEmpty());
            assertFalse(list.allows("oct-input"), "setting '" + setting + "'");
            assertFalse(list.allows(""), "setting '" + setting + "'");
        }
    }

    @Test
    void exactNamesMatchWholeNamesInAnyCase() {
        AllowList list = new AllowList(" oct-input , OCT-Results ");

        assertTrue(list.allows("oct-input"));
        assertTrue(list.allows("oct-results"));
        assertTrue(list.allows("OCT-INPUT"));
        assertFalse(list.allows("oct-input-2"));
        assertFalse(list.allows("oct"));
        assertFalse(list.allows(null));
    }

    @Test
    void aStarAloneAllowsEverythingExplicitly() {
        AllowList list = new AllowList("*");

        assertTrue(list.allows("any-bucket"));
        assertTrue(list.allowsSeveral());
    }

    @Test
    void aDomainEntryAllowsTheDomainAndItsSubdomainsOnly() {
        AllowList list = new AllowList("*.clinic.example");

        assertTrue(list.allows("clinic.example"));
        assertTrue(list.allows("hooks.clinic.example"));
        assertTrue(list.allows("a.b.clinic.example"));
        assertFalse(list.allows("evilclinic.example"), "a suffix is not a subdomain");
        assertFalse(list.allows("clinic.example.evil"));
        assertFalse(list.allows("example"));
    }

    @Test
    void severalMeansMoreThanOneEntryOrAWildcard() {
        assertFalse(new AllowList("oct-input").allowsSeveral());
        assertTrue(new AllowList("oct-input,other").allowsSeveral());
        assertTrue(new AllowList("*.hospital.example").allowsSeveral());
    }

    @Test
    void orElseUsesTheFallbackOnlyForAnEmptySetting() {
        assertTrue(AllowList.orElse("", "oct-input").allows("oct-input"));
        assertFalse(AllowList.orElse("", "oct-input").allows("oct-results"));
        assertFalse(AllowList.orElse("other", "oct-input").allows("oct-input"));
        assertTrue(AllowList.orElse("other", "oct-input").allows("other"));
    }
}
