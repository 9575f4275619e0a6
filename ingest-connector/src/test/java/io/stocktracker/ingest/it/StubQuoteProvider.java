package io.stocktracker.ingest.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A real HTTP server speaking the two providers' documented shapes: TwelveData {@code /quote} (single
 * and batch) and {@code /stocks} (the listing), AlphaVantage {@code /query?function=GLOBAL_QUOTE} and
 * {@code function=LISTING_STATUS} (CSV). Each can be switched to answer with its quota error. Every requested
 * symbol and every listing request is recorded.
 */
final class StubQuoteProvider implements AutoCloseable {
    enum Mode { OK, RATE_LIMITED }

    private final HttpServer server;
    volatile Mode twelveData = Mode.OK;
    volatile Mode alphaVantage = Mode.OK;
    final List<String> twelveDataAsked = Collections.synchronizedList(new ArrayList<>());
    final List<String> alphaVantageAsked = Collections.synchronizedList(new ArrayList<>());
    /** What both listings list; a test may change it before the next listing request. */
    volatile List<String> listed = LISTED;
    final List<String> listingRequests = Collections.synchronizedList(new ArrayList<>());
    static final List<String> LISTED = List.of("AMD", "COST", "IBM", "INTC", "KO", "NFLX", "ORCL", "PEP", "SPY", "UBER");

    StubQuoteProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/quote", this::twelveData);
        server.createContext("/query", this::alphaVantage);
        server.createContext("/stocks", this::twelveDataListing);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void reset() {
        twelveData = Mode.OK;
        alphaVantage = Mode.OK;
        twelveDataAsked.clear();
        alphaVantageAsked.clear();
        listed = LISTED;
        listingRequests.clear();
    }

    long askedFor(String symbol) {
        return twelveDataAsked.stream().filter(symbol::equals).count() + alphaVantageAsked.stream().filter(symbol::equals).count();
    }

    private void twelveData(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        List<String> symbols = Arrays.asList(q.getOrDefault("symbol", "").split(","));
        twelveDataAsked.addAll(symbols);
        if (twelveData == Mode.RATE_LIMITED) {
            respond(ex, 429, """
                    {"code":429,"message":"You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8.","status":"error"}""");
            return;
        }
        if (symbols.size() == 1) {
            respond(ex, 200, twelveDataQuote(symbols.get(0)));
            return;
        }
        StringBuilder batch = new StringBuilder("{");
        for (int i = 0; i < symbols.size(); i++) {
            batch.append(i == 0 ? "" : ",").append('"').append(symbols.get(i)).append("\":").append(twelveDataQuote(symbols.get(i)));
        }
        respond(ex, 200, batch.append('}').toString());
    }

    private void twelveDataListing(HttpExchange ex) throws IOException {
        listingRequests.add("twelvedata");
        StringBuilder body = new StringBuilder("{\"data\":[");
        List<String> symbols = listed;
        for (int i = 0; i < symbols.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"symbol\":\"").append(symbols.get(i))
                    .append("\",\"name\":\"").append(symbols.get(i)).append(" Inc\",\"currency\":\"USD\",\"exchange\":\"NASDAQ\"}");
        }
        respond(ex, 200, body.append("],\"status\":\"ok\"}").toString());
    }

    private void alphaVantage(HttpExchange ex) throws IOException {
        if ("LISTING_STATUS".equals(query(ex).get("function"))) {
            listingRequests.add("alphavantage");
            StringBuilder csv = new StringBuilder("symbol,name,exchange,assetType,ipoDate,delistingDate,status\r\n");
            listed.forEach(s -> csv.append(s).append(',').append(s).append(" Inc, Class A,NYSE,Stock,1999-11-18,null,Active\r\n"));
            respond(ex, 200, csv.toString());
            return;
        }
        String symbol = query(ex).getOrDefault("symbol", "");
        alphaVantageAsked.add(symbol);
        if (alphaVantage == Mode.RATE_LIMITED) {
            respond(ex, 200, """
                    {"Information": "We have detected your API key as DEMO and our standard API rate limit is 25 requests per day."}""");
            return;
        }
        double price = price(symbol);
        respond(ex, 200, String.format(java.util.Locale.ROOT, """
                {"Global Quote": {"01. symbol": "%s", "02. open": "%.4f", "03. high": "%.4f", "04. low": "%.4f",
                 "05. price": "%.4f", "06. volume": "1234567", "07. latest trading day": "2024-01-10",
                 "08. previous close": "%.4f", "09. change": "1.0000", "10. change percent": "0.5000%%"}}""",
                symbol, price - 1, price + 1, price - 2, price, price - 1));
    }

    private static String twelveDataQuote(String symbol) {
        double price = price(symbol);
        return String.format(java.util.Locale.ROOT, """
                {"symbol":"%s","name":"%s Inc","exchange":"NASDAQ","currency":"USD","datetime":"2024-01-10",
                 "timestamp":%d,"open":"%.5f","high":"%.5f","low":"%.5f","close":"%.5f","volume":"4679290",
                 "previous_close":"%.5f","change":"1.00000","percent_change":"0.50000","is_market_open":true}""",
                symbol, symbol, Instant.now().getEpochSecond(), price - 1, price + 1, price - 2, price, price - 1);
    }

    private static double price(String symbol) {
        return 50 + Math.abs(symbol.hashCode() % 400);
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
