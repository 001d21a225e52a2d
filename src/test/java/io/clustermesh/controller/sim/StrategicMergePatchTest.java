package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The strategic merge patch rules of the built-in types, as the API server applies Helm's patches. */
class StrategicMergePatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void containersMergeByNameAndOtherListsAreReplaced() throws Exception {
        JsonNode original =
                json("{'spec':{'containers':[{'name':'a','image':'a:1','args':['x','y']},{'name':'b','image':'b:1'}],"
                        + "'tolerations':[{'operator':'Exists'}]}}");
        JsonNode patched = StrategicMergePatch.apply(
                original,
                json("{'spec':{'containers':[{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}],"
                        + "'tolerations':[{'key':'k','operator':'Equal'}]}}"));
        assertThat(patched)
                .isEqualTo(json(
                        "{'spec':{'containers':[{'name':'a','image':'a:1','args':['x','y']},{'name':'b','image':'b:2'},"
                                + "{'name':'c','image':'c:1'}],'tolerations':[{'key':'k','operator':'Equal'}]}}"));
    }

    @Test
    void directivesDeleteReorderAndRemoveKeys() throws Exception {
        JsonNode original = json(
                "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}],"
                        + "'finalizers':['x','y']}}");
        JsonNode patched = StrategicMergePatch.apply(
                original,
                json("{'metadata':{'labels':{'b':null}},'spec':{"
                        + "'$setElementOrder/containers':[{'name':'c'},{'name':'a'}],'containers':[{'name':'b','$patch':'delete'}],"
                        + "'$deleteFromPrimitiveList/finalizers':['x']}}"));
        assertThat(patched)
                .isEqualTo(
                        json(
                                "{'metadata':{'labels':{'a':'1'}},'spec':{'containers':[{'name':'c'},{'name':'a'}],'finalizers':['y']}}"));
        JsonNode replaced =
                StrategicMergePatch.apply(original, json("{'metadata':{'labels':{'$patch':'replace','z':'9'}}}"));
        assertThat(replaced.path("metadata").path("labels")).isEqualTo(json("{'z':'9'}"));
    }

    @Test
    void containerPortsAndServicePortsMergeByTheirOwnKeys() throws Exception {
        JsonNode service = json("{'spec':{'ports':[{'port':2379,'name':'etcd'},{'port':9962,'name':'metrics'}]}}");
        assertThat(StrategicMergePatch.apply(service, json("{'spec':{'ports':[{'port':2379,'nodePort':32379}]}}"))
                        .path("spec")
                        .path("ports"))
                .isEqualTo(json("[{'port':2379,'name':'etcd','nodePort':32379},{'port':9962,'name':'metrics'}]"));
    }

    @Test
    void unknownDirectivesAndElementsWithoutTheirMergeKeyAreRefused() throws Exception {
        JsonNode original = json("{'spec':{'containers':[{'name':'a'}]}}");
        assertThatThrownBy(() -> StrategicMergePatch.apply(original, json("{'spec':{'$bogus':1}}")))
                .isInstanceOf(RequestRefused.class);
        assertThatThrownBy(() -> StrategicMergePatch.apply(original, json("{'spec':{'containers':[{'image':'x'}]}}")))
                .isInstanceOf(RequestRefused.class);
        assertThatThrownBy(() -> StrategicMergePatch.apply(original, json("['not an object']")))
                .isInstanceOf(RequestRefused.class);
    }
}
