package dev.shardpipe.loadgen.reads;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.shardpipe.loadgen.sink.SendFailure;
import java.io.IOException;

/**
 * Checks a page query-service answered: {@code items} holds {@code limit} rows and {@code partial}
 * is false; anything else fails the request, grouped by what was wrong.
 */
final class ReadCheck {

  private static final JsonFactory JSON = new JsonFactory();

  private ReadCheck() {}

  static int page(byte[] body, int limit) {
    int items = -1;
    Boolean partial = null;
    try (JsonParser json = JSON.createParser(body)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new SendFailure("not a page", "the body is not a JSON object");
      }
      for (JsonToken t = json.nextToken(); t == JsonToken.FIELD_NAME; t = json.nextToken()) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if ("items".equals(field) && value == JsonToken.START_ARRAY) {
          items = 0;
          for (JsonToken item = json.nextToken();
              item != JsonToken.END_ARRAY;
              item = json.nextToken()) {
            items++;
            json.skipChildren();
          }
        } else if ("partial".equals(field)) {
          partial = value == JsonToken.VALUE_TRUE;
        } else {
          json.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new SendFailure("not a page", String.valueOf(e.getMessage()));
    }
    if (partial == null || partial) {
      throw new SendFailure("partial page", "partial is " + partial);
    }
    if (items != limit) {
      throw new SendFailure("short page", items + " items for limit " + limit);
    }
    return items;
  }
}
