package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a ZIP file's central directory record by record, for the two facts {@link java.util.zip.ZipFile}
 * hides: every record (ZipFile answers lookups with one of several same-named entries) and each
 * record's Unix file type (a symbolic link is only visible in the external attributes).
 *
 * <p>Strict on purpose: the central directory must sit exactly where the end record says, with no
 * data prepended, every record must be complete, and names must be valid UTF-8. A bundle is written by
 * a tool, never hand-made, so anything unusual is more likely an attack than an accident.
 */
final class CentralDirectory
{
    /** A bundle holds a handful of files; refusing huge directories bounds memory before anything else. */
    static final int MAX_ENTRIES = 10_000;

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_END_SIZE = 56;
    private static final int RECORD_SIGNATURE = 0x02014b50;
    private static final int RECORD_SIZE = 46;
    private static final int MAX_COMMENT = 0xffff;
    private static final long MAX_DIRECTORY_BYTES = 16L << 20;

    /**
     * One central directory record.
     *
     * @param name     the entry name.
     * @param unixMode the Unix mode from the high half of the external attributes, 0 when none was recorded.
     */
    record Record(String name, int unixMode)
    {
        private static final int TYPE_MASK = 0170000;
        private static final int REGULAR = 0100000;
        private static final int DIRECTORY = 0040000;

        /**
         * Returns true when the name ends in {@code /} or the mode says directory.
         *
         * @return true when the name ends in {@code /} or the mode says directory.
         */
        boolean isDirectory()
        {
            return name.endsWith("/") || (unixMode & TYPE_MASK) == DIRECTORY;
        }

        /**
         * Returns true unless the mode records a type other than regular file or directory: a symbolic link, device, FIFO or socket. Archives made on Windows record no type at all.
         *
         * @return true unless the mode records a type other than regular file or directory: a symbolic
         * link, device, FIFO or socket. Archives made on Windows record no type at all.
         */
        boolean isPlainFileOrDirectory()
        {
            final int type = unixMode & TYPE_MASK;
            return type == 0 || type == REGULAR || type == DIRECTORY;
        }

        /**
         * Returns a description of the recorded type for messages, such as {@code symbolic link}.
         *
         * @return a description of the recorded type for messages, such as {@code symbolic link}.
         */
        String typeName()
        {
            return switch ((unixMode & TYPE_MASK) >>> 12)
            {
                case 001 -> "FIFO";
                case 002 -> "character device";
                case 006 -> "block device";
                case 012 -> "symbolic link";
                case 014 -> "socket";
                default -> String.format("file of type %06o", unixMode & TYPE_MASK);
            };
        }
    }

    private CentralDirectory()
    {
    }

    /**
     * Returns its central directory records in stored order.
     *
     * @param file a ZIP file.
     * @return its central directory records in stored order.
     * @throws PluginLoadException when the file is not a well-formed ZIP or cannot be read.
     */
    static List<Record> read(final Path file) throws PluginLoadException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long fileSize = channel.size();
            final int tailSize = (int)Math.min(fileSize, END_SIZE + MAX_COMMENT);
            final ByteBuffer tail = readFully(channel, fileSize - tailSize, tailSize);
            final int end = findEnd(tail, file);
            final long endPosition = fileSize - tailSize + end;

            long count = Short.toUnsignedInt(tail.getShort(end + 10));
            long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
            long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
            long directoryEnd = endPosition;
            if (count == 0xffff || directorySize == 0xffffffffL || directoryOffset == 0xffffffffL)
            {
                final ByteBuffer zip64 = readZip64End(channel, endPosition, file);
                count = zip64.getLong(32);
                directorySize = zip64.getLong(40);
                directoryOffset = zip64.getLong(48);
                directoryEnd = endPosition - ZIP64_LOCATOR_SIZE - ZIP64_END_SIZE;
            }
            if (count < 0 || count > MAX_ENTRIES)
            {
                throw malformed(file, "it declares " + Long.toUnsignedString(count) + " entries, more than the " + MAX_ENTRIES + " allowed");
            }
            if (directorySize < 0 || directorySize > MAX_DIRECTORY_BYTES || directoryOffset < 0
                || directoryOffset + directorySize != directoryEnd)
            {
                throw malformed(file, "its central directory is not where its end record says (data prepended or truncated)");
            }
            return records(readFully(channel, directoryOffset, (int)directorySize), (int)count, file);
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot read bundle " + file + ": " + e.getMessage(), e);
        }
    }

    private static int findEnd(final ByteBuffer tail, final Path file) throws PluginLoadException
    {
        // The end record is followed only by its comment, so scan back from the last place it can start.
        for (int position = tail.limit() - END_SIZE; position >= 0; position--)
        {
            if (tail.getInt(position) == END_SIGNATURE
                && position + END_SIZE + Short.toUnsignedInt(tail.getShort(position + 20)) == tail.limit())
            {
                return position;
            }
        }
        throw malformed(file, "no end of central directory record found (not a ZIP file)");
    }

    private static ByteBuffer readZip64End(final FileChannel channel, final long endPosition, final Path file)
        throws IOException, PluginLoadException
    {
        if (endPosition < ZIP64_LOCATOR_SIZE + ZIP64_END_SIZE)
        {
            throw malformed(file, "its ZIP64 end record is missing");
        }
        final ByteBuffer locator = readFully(channel, endPosition - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
        final long zip64Position = endPosition - ZIP64_LOCATOR_SIZE - ZIP64_END_SIZE;
        if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE || locator.getLong(8) != zip64Position)
        {
            throw malformed(file, "its ZIP64 end record is missing or not where the locator says");
        }
        final ByteBuffer zip64 = readFully(channel, zip64Position, ZIP64_END_SIZE);
        if (zip64.getInt(0) != ZIP64_END_SIGNATURE)
        {
            throw malformed(file, "its ZIP64 end record has a bad signature");
        }
        return zip64;
    }

    private static List<Record> records(final ByteBuffer directory, final int count, final Path file) throws PluginLoadException
    {
        final List<Record> records = new ArrayList<>(count);
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            if (position + RECORD_SIZE > directory.limit() || directory.getInt(position) != RECORD_SIGNATURE)
            {
                throw malformed(file, "central directory record " + i + " is truncated or has a bad signature");
            }
            final int nameLength = Short.toUnsignedInt(directory.getShort(position + 28));
            final int extraLength = Short.toUnsignedInt(directory.getShort(position + 30));
            final int commentLength = Short.toUnsignedInt(directory.getShort(position + 32));
            final int unixMode = directory.getInt(position + 38) >>> 16;
            final int next = position + RECORD_SIZE + nameLength + extraLength + commentLength;
            if (next > directory.limit())
            {
                throw malformed(file, "central directory record " + i + " runs past the directory");
            }
            final String name = utf8(directory, position + RECORD_SIZE, nameLength, file);
            records.add(new Record(name, unixMode));
            position = next;
        }
        if (position != directory.limit())
        {
            throw malformed(file, "its central directory holds more bytes than its " + count + " records");
        }
        return records;
    }

    private static String utf8(final ByteBuffer directory, final int start, final int length, final Path file)
        throws PluginLoadException
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(directory.slice(start, length))
                .toString();
        }
        catch (final CharacterCodingException e)
        {
            throw malformed(file, "an entry name is not valid UTF-8");
        }
    }

    private static ByteBuffer readFully(final FileChannel channel, final long position, final int size) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer, position + buffer.position()) < 0)
            {
                throw new IOException("unexpected end of file at offset " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static PluginLoadException malformed(final Path file, final String problem)
    {
        return new PluginLoadException("bundle " + file + " is not a well-formed ZIP archive: " + problem);
    }
}
