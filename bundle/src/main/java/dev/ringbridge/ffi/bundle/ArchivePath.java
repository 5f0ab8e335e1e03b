package dev.ringbridge.ffi.bundle;

/**
 * The one rule for paths inside a bundle, applied both to archive entry names and to the paths a
 * manifest names: relative, {@code /}-separated, in canonical form.
 *
 * <p>Canonical form matters twice. A name that could point outside a directory ({@code ..}, a leading
 * {@code /}, a drive letter, a backslash that Windows tools read as a separator) is an attack on
 * whoever extracts the archive naively. And two spellings of one path ({@code lib/x} and
 * {@code lib/./x}) would let a hostile archive show one entry to a checker and another to a reader,
 * so only one spelling is allowed and duplicate detection can compare names exactly.
 */
final class ArchivePath
{
    private ArchivePath()
    {
    }

    /**
     * Returns what is wrong with it, or null when it is a safe canonical relative path.
     *
     * @param path      an entry name or a path from the manifest.
     * @param directory true when the path names a directory entry, which ends in {@code /}.
     * @return what is wrong with it, or null when it is a safe canonical relative path.
     */
    static String problem(final String path, final boolean directory)
    {
        if (path.isEmpty())
        {
            return "is empty";
        }
        if (path.indexOf('\\') >= 0)
        {
            return "contains a backslash";
        }
        if (path.startsWith("/"))
        {
            return "is absolute";
        }
        if (path.length() >= 2 && path.charAt(1) == ':')
        {
            return "starts with a drive letter";
        }
        for (int i = 0; i < path.length(); i++)
        {
            final char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f)
            {
                return "contains a control character";
            }
        }
        final String body = directory && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (final String segment : body.split("/", -1))
        {
            if (segment.equals(".."))
            {
                return "contains '..'";
            }
            if (segment.isEmpty() || segment.equals("."))
            {
                return "is not canonical (empty or '.' segment)";
            }
        }
        return null;
    }

    /**
     * Returns its last segment: the only part of a manifest path used to name an extracted file.
     *
     * @param path a path that passed {@link #problem(String, boolean)}.
     * @return its last segment: the only part of a manifest path used to name an extracted file.
     */
    static String fileName(final String path)
    {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
