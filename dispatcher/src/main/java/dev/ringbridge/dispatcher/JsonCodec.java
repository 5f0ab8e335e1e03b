package dev.ringbridge.dispatcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Maps typed requests and responses to JSON text for the typed-call convenience methods. The hot
 * path never comes here: it passes JSON text or bytes straight through.
 */
final class JsonCodec
{
    private final ObjectMapper mapper;

    JsonCodec(final ObjectMapper mapper)
    {
        this.mapper = mapper;
    }

    /**
     * @return the mapper used when none is configured: snake_case property names, as the Rust side
     * (serde) expects, and unknown response properties ignored so plugins can add fields.
     */
    static ObjectMapper defaultMapper()
    {
        return new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    String write(final String typeTag, final Object request)
    {
        try
        {
            return mapper.writeValueAsString(request);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalArgumentException("request for '" + typeTag + "' of type "
                + (request == null ? "null" : request.getClass().getName()) + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    <R> R read(final String typeTag, final String json, final Class<R> type)
    {
        try
        {
            return mapper.readValue(json, type);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("response of '" + typeTag + "' does not map to " + type.getName()
                + ": " + e.getOriginalMessage() + "; response was " + json, e);
        }
    }
}
